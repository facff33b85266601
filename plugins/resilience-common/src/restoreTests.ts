/**
 * The states of a restore test, in the order a successful one goes through them; `failed` and
 * `cancelled` end it too. Every test that created something passes through `cleaning-up`.
 *
 * @public
 */
export type RestoreTestState =
  | 'pending'
  | 'restoring'
  | 'verifying'
  | 'cleaning-up'
  | 'succeeded'
  | 'failed'
  | 'cancelled';

/**
 * The states in which a restore test is over.
 *
 * @public
 */
export const FINAL_RESTORE_TEST_STATES: ReadonlyArray<RestoreTestState> = [
  'succeeded',
  'failed',
  'cancelled',
];

/**
 * How a restore test ends, decided before its clean-up: the state it takes once clean-up is
 * confirmed.
 *
 * @public
 */
export type RestoreTestOutcome = 'succeeded' | 'failed' | 'cancelled';

/**
 * One step of a restore test's history.
 *
 * @public
 */
export interface RestoreTestTransition {
  state: RestoreTestState;
  /** ISO 8601 time the test entered the state. */
  at: string;
  /** What happened, in a sentence a person understands. */
  message: string;
}

/**
 * What a restore test restored into, and what it found there.
 *
 * @public
 */
export interface RestoreTestVerification {
  /** Restored claims, by `namespace/name` in the test namespace, and their phase. */
  pvcs: Array<{ namespace: string; name: string; phase: string }>;
  /** Restored Deployments and StatefulSets and their available replicas. */
  workloads: Array<{
    kind: 'Deployment' | 'StatefulSet';
    namespace: string;
    name: string;
    replicas: number;
    available: number;
  }>;
}

/**
 * How Velero's Restore of a test ended (or stands): its phase and counts.
 *
 * @public
 */
export interface RestoreTestVeleroOutcome {
  /** `status.phase`, for example `Completed` or `PartiallyFailed`. */
  phase: string;
  warnings?: number;
  errors?: number;
  failureReason?: string;
}

/**
 * A restore test: a Velero Restore of one backup into a throw-away namespace, verified, timed
 * and cleaned up.
 *
 * @public
 */
export interface RestoreTestSummary {
  id: string;
  entityRef: string;
  cluster: string;
  /** The Velero Backup restored. */
  backupName: string;
  state: RestoreTestState;
  /** Set once the outcome is known, during clean-up and after. */
  outcome?: RestoreTestOutcome;
  /** The namespaces of the backup that were restored, each to its test namespace. */
  namespaceMapping: Record<string, string>;
  /** The Velero Restore's name, once created. */
  restoreName?: string;
  /** Who started it (a user entity ref). */
  createdBy: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601, once over. */
  finishedAt?: string;
  /**
   * Recovery time measured: from the Restore's creation to the end of verification, in seconds;
   * set when the test succeeded.
   */
  rtoSeconds?: number;
  /** Velero's counts when the Restore ended. */
  velero?: RestoreTestVeleroOutcome;
  verification?: RestoreTestVerification;
  /** Every state it went through, oldest first. */
  transitions: RestoreTestTransition[];
}

/**
 * Body of `POST /api/resilience/restore-tests`: which entity's backup to test. Without
 * `backupName`, the latest `Completed` backup marked known-good is restored, else the latest
 * `Completed` one; `cluster` picks the cluster when the entity runs in several.
 *
 * @public
 */
export interface CreateRestoreTestRequest {
  /** For example `component:default/ledger`. */
  entityRef: string;
  cluster?: string;
  backupName?: string;
}

/**
 * A backup a restore test may restore, with its security mark.
 *
 * @public
 */
export interface RestoreTestCandidate {
  cluster: string;
  backupName: string;
  /** ISO 8601. */
  startedAt?: string;
  /** ISO 8601. */
  completedAt?: string;
  /** The backup's mark by the SAST findings open when it started. */
  mark?: 'known-good' | 'vulnerable' | 'unknown';
}

/**
 * Response of `GET /api/resilience/entities/:kind/:namespace/:name/restore-tests`: the entity's
 * restore tests, newest first, and what a new one would restore.
 *
 * @public
 */
export interface EntityRestoreTestsResponse {
  entityRef: string;
  /** The latest tests (at most 20), newest first. */
  items: RestoreTestSummary[];
  /** The `Completed` backups of the entity that still exist, newest first. */
  candidates: RestoreTestCandidate[];
  /** What a test without `backupName` restores, and why; absent when there is nothing. */
  defaultBackup?: RestoreTestCandidate & { reason: string };
  /** The median RTO of the entity's successful tests, in seconds; absent without one. */
  expectedSeconds?: number;
  /** The entity's recovery time objective in seconds, when its policy sets one. */
  rtoTargetSeconds?: number;
  /** Clusters where restore tests are disabled (`resilience.restoreTests.disabledClusters`). */
  disabledClusters: string[];
}

/**
 * The ids of the recovery checks, in their order:
 * - `recovery.restore-test-age`: a restore test of the entity succeeded within the tier's
 *   `recovery.maxTestAge`;
 * - `recovery.rto`: the latest successful test's RTO is within the entity's recovery time
 *   objective (`resilience.io/rto`, or the tier's `recovery.rto`).
 *
 * @public
 */
export const RECOVERY_CHECK_IDS = [
  'recovery.restore-test-age',
  'recovery.rto',
] as const;

/**
 * One of {@link RECOVERY_CHECK_IDS}.
 *
 * @public
 */
export type RecoveryCheckId = (typeof RECOVERY_CHECK_IDS)[number];
