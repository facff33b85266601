import { parseEntityRef } from '@backstage/catalog-model';
import {
  EntityRestoreTestsResponse,
  FINAL_RESTORE_TEST_STATES,
  newestBackupFirst,
  RestoreTestCandidate,
  RestoreTestState,
  RestoreTestSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { formatDuration, secondsBetween } from './format';
import { StatusKind } from './StatusLabel';

/** A backup's security mark; a candidate without one is `unknown`. */
export type BackupMark = NonNullable<RestoreTestCandidate['mark']>;

/** How each state of a restore test is shown: its status icon and its word. */
export const RESTORE_TEST_STATE: Record<
  RestoreTestState,
  { status: StatusKind; text: string }
> = {
  pending: { status: 'pending', text: 'Pending' },
  restoring: { status: 'running', text: 'Restoring' },
  verifying: { status: 'running', text: 'Verifying' },
  'cleaning-up': { status: 'running', text: 'Cleaning up' },
  succeeded: { status: 'ok', text: 'Succeeded' },
  failed: { status: 'error', text: 'Failed' },
  cancelled: { status: 'aborted', text: 'Cancelled' },
};

/** How each security mark is shown, the same words as the backup timeline's legend. */
export const BACKUP_MARK: Record<
  BackupMark,
  { status: StatusKind; text: string }
> = {
  'known-good': { status: 'ok', text: 'Known-good' },
  vulnerable: { status: 'error', text: 'Vulnerable' },
  unknown: { status: 'pending', text: 'Security unknown' },
};

/** The steps every test is shown with, in order; the last one is its final state. */
export const RESTORE_TEST_STEPS: RestoreTestState[] = [
  'pending',
  'restoring',
  'verifying',
  'cleaning-up',
];

/** Whether a restore test is over. */
export function isFinal(state: RestoreTestState): boolean {
  return FINAL_RESTORE_TEST_STATES.includes(state);
}

/** Whether a test can still be cancelled: once cleaning up, its outcome is decided. */
export function isCancellable(test: RestoreTestSummary): boolean {
  return !isFinal(test.state) && test.state !== 'cleaning-up';
}

/** A candidate's identity, for keys and select values. */
export function candidateKey(candidate: {
  cluster: string;
  backupName: string;
}): string {
  return `${candidate.cluster}/${candidate.backupName}`;
}

/** Candidates newest first, in Velero's order (by start), as the backend orders them. */
function newestCandidateFirst(
  a: RestoreTestCandidate,
  b: RestoreTestCandidate,
): number {
  return newestBackupFirst(
    { name: a.backupName, startedAt: a.startedAt },
    { name: b.backupName, startedAt: b.startedAt },
  );
}

/** The candidates of a cluster, newest first. */
export function candidatesOf(options: {
  candidates: RestoreTestCandidate[];
  cluster: string;
}): RestoreTestCandidate[] {
  return options.candidates
    .filter(c => c.cluster === options.cluster)
    .sort(newestCandidateFirst);
}

/**
 * The clusters the candidates are in, in the order of the newest backup of each, each with
 * whether restore tests are disabled there.
 */
export function candidateClusters(
  data: Pick<EntityRestoreTestsResponse, 'candidates' | 'disabledClusters'>,
): Array<{ cluster: string; disabled: boolean }> {
  const clusters = [...data.candidates]
    .sort(newestCandidateFirst)
    .map(c => c.cluster)
    .filter((cluster, i, all) => all.indexOf(cluster) === i);
  return clusters.map(cluster => ({
    cluster,
    disabled: data.disabledClusters.includes(cluster),
  }));
}

/**
 * What the form preselects in a cluster: the default backup when it is there, else what the
 * backend would choose in that cluster, the newest known-good backup, else the newest one.
 */
export function preselectedBackup(options: {
  data: Pick<EntityRestoreTestsResponse, 'candidates' | 'defaultBackup'>;
  cluster: string;
}): RestoreTestCandidate | undefined {
  const { data, cluster } = options;
  const inCluster = candidatesOf({ candidates: data.candidates, cluster });
  const byDefault = data.defaultBackup;
  if (byDefault && byDefault.cluster === cluster) {
    return (
      inCluster.find(c => c.backupName === byDefault.backupName) ?? byDefault
    );
  }
  return inCluster.find(c => c.mark === 'known-good') ?? inCluster[0];
}

/** The cluster the form starts with: the default backup's, else the first one enabled. */
export function preselectedCluster(
  data: Pick<
    EntityRestoreTestsResponse,
    'candidates' | 'defaultBackup' | 'disabledClusters'
  >,
): string | undefined {
  if (data.defaultBackup) return data.defaultBackup.cluster;
  return candidateClusters(data).find(c => !c.disabled)?.cluster;
}

/** The mark of a test's backup, when the candidates still know the backup. */
export function markOf(options: {
  candidates: RestoreTestCandidate[];
  cluster: string;
  backupName: string;
}): BackupMark | undefined {
  const candidate = options.candidates.find(
    c => c.cluster === options.cluster && c.backupName === options.backupName,
  );
  return candidate ? candidate.mark ?? 'unknown' : undefined;
}

/**
 * The recovery time against the target: `text` is `2 min 10 s, within the 1 h target`, made of
 * `rto` and `against`.
 */
export function rtoText(options: {
  rtoSeconds: number;
  rtoTargetSeconds?: number;
}): { text: string; rto: string; against: string; overTarget: boolean } {
  const { rtoSeconds, rtoTargetSeconds } = options;
  const rto = formatDuration(rtoSeconds);
  const overTarget =
    rtoTargetSeconds !== undefined && rtoSeconds > rtoTargetSeconds;
  const against =
    rtoTargetSeconds === undefined
      ? 'no target set'
      : `${overTarget ? 'over' : 'within'} the ${formatDuration(
          rtoTargetSeconds,
        )} target`;
  return { text: `${rto}, ${against}`, rto, against, overTarget };
}

/** How long a test took, or has taken until `now` while it runs; never negative. */
export function elapsedSeconds(options: {
  test: Pick<RestoreTestSummary, 'createdAt' | 'finishedAt'>;
  now: string;
}): number {
  const { test, now } = options;
  return Math.max(0, secondsBetween(test.createdAt, test.finishedAt ?? now));
}

/** The sentence of the expected duration, from the median RTO of earlier tests. */
export function expectedDurationText(expectedSeconds?: number): string {
  return expectedSeconds === undefined
    ? 'No earlier test succeeded, so how long one takes is not known yet.'
    : `Earlier tests took about ${formatDuration(
        Math.round(expectedSeconds / 60) * 60 || expectedSeconds,
      )}.`;
}

/** Who started a test: the name of the user entity ref, or the ref as is when it is not one. */
export function startedByText(createdBy: string): string {
  try {
    return parseEntityRef(createdBy).name;
  } catch {
    return createdBy;
  }
}

/** The latest transition's message: what happened last, in a sentence. */
export function lastMessage(test: RestoreTestSummary): string | undefined {
  return test.transitions[test.transitions.length - 1]?.message;
}
