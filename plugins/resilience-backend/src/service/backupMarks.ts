import { BackupSecurityMark } from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceStore } from '../database/ResilienceStore';
import { backupSecurityMark } from '../scoring/backupSecurity';

/**
 * Reads once what marking an entity's backups needs (the open periods of the critical and high
 * findings of its default branches, and their first scan) and returns the mark of a backup that
 * started at a given time.
 */
export async function backupMarker(options: {
  store: ResilienceStore;
  entityRef: string;
  /** `resilience.sast.defaultBranches`. */
  defaultBranches: string[];
}): Promise<(startedAt?: Date) => BackupSecurityMark> {
  const { store, entityRef, defaultBranches } = options;
  const firstScanAt = await store.firstSastScanAt({
    entityRef,
    branches: defaultBranches,
  });
  const findings = firstScanAt
    ? await store.listSastFindingSpans({
        entityRef,
        branches: defaultBranches,
        severities: ['critical', 'high'],
      })
    : [];
  return at => backupSecurityMark({ at, findings, firstScanAt });
}
