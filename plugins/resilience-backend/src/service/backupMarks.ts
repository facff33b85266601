import { BackupSecurityMark } from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredSastFindingSpan,
} from '../database/ResilienceStore';
import { backupSecurityMark } from '../scoring/backupSecurity';

/**
 * What marking an entity's backups reads: the open periods of the critical and high findings of
 * its default branches, and their first scan.
 */
export interface MarkFacts {
  firstScanAt?: Date;
  findings: StoredSastFindingSpan[];
}

export async function loadMarkFacts(options: {
  store: ResilienceStore;
  entityRef: string;
  /** `resilience.sast.defaultBranches`. */
  defaultBranches: string[];
}): Promise<MarkFacts> {
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
  return { firstScanAt, findings };
}

/** The mark of a backup that started at a given time. */
export function markerOf(
  facts: MarkFacts,
): (startedAt?: Date) => BackupSecurityMark {
  return at =>
    backupSecurityMark({
      at,
      findings: facts.findings,
      firstScanAt: facts.firstScanAt,
    });
}

/** Reads once what marking an entity's backups needs, and returns the mark of a backup. */
export async function backupMarker(options: {
  store: ResilienceStore;
  entityRef: string;
  defaultBranches: string[];
}): Promise<(startedAt?: Date) => BackupSecurityMark> {
  return markerOf(await loadMarkFacts(options));
}
