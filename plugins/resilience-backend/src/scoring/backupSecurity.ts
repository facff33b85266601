import { BackupSecurityMark } from '@resilience-for-backstage/plugin-resilience-common';

/** A critical or high finding of the entity's default branch, with when it was open. */
export interface FindingSpan {
  severity: 'critical' | 'high';
  firstSeenAt: Date;
  /** When it was seen fixed (or its suppression accepted); undefined while open. */
  fixedAt?: Date;
}

/**
 * How a backup taken at `at` stands against the code that ran then: `known-good` when no
 * critical or high finding was open at that moment, `vulnerable` when some were, `unknown` when
 * no scan of the default branch had been uploaded yet (nothing was known), or when the backup
 * has no start time.
 *
 * A finding counts as open at `at` from its first sighting until the first scan that no longer
 * saw it: between two scans the code is taken to be as the earlier scan found it.
 */
export function backupSecurityMark(options: {
  at?: Date;
  findings: FindingSpan[];
  /** The first scan of the default branch; undefined when there has been none. */
  firstScanAt?: Date;
}): BackupSecurityMark {
  const { at, findings, firstScanAt } = options;
  if (!at || !firstScanAt || firstScanAt > at) {
    return {
      mark: 'unknown',
      openCritical: 0,
      openHigh: 0,
    };
  }
  const open = findings.filter(
    f => f.firstSeenAt <= at && (!f.fixedAt || f.fixedAt > at),
  );
  const openCritical = open.filter(f => f.severity === 'critical').length;
  const openHigh = open.length - openCritical;
  return {
    mark: open.length > 0 ? 'vulnerable' : 'known-good',
    openCritical,
    openHigh,
  };
}
