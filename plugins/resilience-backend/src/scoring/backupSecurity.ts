import {
  BackupSecurityMark,
  SastSeverity,
} from '@resilience-for-backstage/plugin-resilience-common';

/** A period during which a finding of the entity's default branch was open. */
export interface FindingSpan {
  severity: SastSeverity;
  openedAt: Date;
  /** When it was seen fixed, accepted or re-rated; undefined while open. */
  closedAt?: Date;
}

/**
 * How a backup taken at `at` stands against the code that ran then: `known-good` when no
 * critical or high finding was open at that moment, `vulnerable` when some were, `unknown` when
 * no scan of the default branch had been uploaded yet (nothing was known), or when the backup
 * has no start time. Findings of lower severity do not count.
 *
 * A period counts as open at `at` from the scan that opened it until the first scan that no
 * longer saw it: between two scans the code is taken to be as the earlier scan found it.
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
    f => f.openedAt <= at && (!f.closedAt || f.closedAt > at),
  );
  const openCritical = open.filter(f => f.severity === 'critical').length;
  const openHigh = open.filter(f => f.severity === 'high').length;
  return {
    mark: openCritical + openHigh > 0 ? 'vulnerable' : 'known-good',
    openCritical,
    openHigh,
  };
}
