import type {
  CertificateCheckId,
  CertificateSummary,
  EffectiveCertificatePolicy,
} from './certificates';
import type { BackupSecurityMark, SastCheckId } from './sast';
import type { RecoveryCheckId } from './restoreTests';

/**
 * The sources the collector reads from each cluster. Each one has its own collection status, so
 * that a missing CRD or a forbidden list affects that source only.
 *
 * @public
 */
export type CollectionSource =
  | 'velero-backups'
  | 'velero-schedules'
  | 'persistent-volume-claims'
  | 'persistent-volumes'
  | 'volume-snapshot-contents'
  | 'data-uploads'
  | 'backup-storage-locations'
  | 'pods'
  | 'namespaces'
  | 'pod-volume-backups'
  | 'volume-snapshots'
  | 'velero-restores'
  | 'certificates'
  | 'certificate-requests'
  | 'issuers'
  | 'cluster-issuers'
  | 'tls-secrets'
  | 'ingresses';

/**
 * The outcome of the latest collection attempt of one source in one cluster.
 *
 * - `ok`: the last attempt listed every object.
 * - `not-installed`: the API server does not serve the resource (its CRD is not installed).
 * - `forbidden`: the credentials may not list the resource.
 * - `error`: any other failure (unreachable cluster, TLS, 5xx, timeout).
 * - `pending`: no attempt has finished yet.
 *
 * @public
 */
export type CollectionState =
  | 'ok'
  | 'not-installed'
  | 'forbidden'
  | 'error'
  | 'pending';

/**
 * Collection status of one source in one cluster.
 *
 * @public
 */
export interface SourceCollectionStatus {
  cluster: string;
  source: CollectionSource;
  state: CollectionState;
  /** What went wrong, in words a platform engineer can act on; absent when `state` is `ok`. */
  message?: string;
  /** ISO 8601 time of the latest attempt that finished, successful or not. */
  lastAttemptAt?: string;
  /** ISO 8601 time of the latest attempt that listed every object. */
  lastSuccessAt?: string;
  /** How many objects the latest successful attempt listed. */
  itemCount?: number;
  /**
   * True when the facts kept for this source are older than the latest attempt, because that
   * attempt failed: they are shown, but may no longer be true.
   */
  stale: boolean;
}

/**
 * A Velero backup, as far as the Resilience views need it.
 *
 * @public
 */
export interface BackupSummary {
  cluster: string;
  /** The namespace Velero runs in, where the Backup object lives. */
  namespace: string;
  name: string;
  /** Velero's `status.phase`, for example `Completed`, `PartiallyFailed` or `Failed`. */
  phase: string;
  /** The Velero Schedule that created the backup, if any (`velero.io/schedule-name`). */
  scheduleName?: string;
  /**
   * ISO 8601 `status.startTimestamp`: when Velero began to capture the data, so how old the
   * recovery point is, and what backups are ordered by (see `newestBackupFirst`).
   */
  startedAt?: string;
  /** ISO 8601 `status.completionTimestamp`. */
  completedAt?: string;
  /**
   * ISO 8601 `metadata.creationTimestamp`: when the Backup object was created in this cluster,
   * which backup sync resets; backups that have not started are ordered by it.
   */
  createdAt?: string;
  /** ISO 8601 `status.expiration`. */
  expiresAt?: string;
  /** The BackupStorageLocation the backup was written to (`spec.storageLocation`). */
  storageLocation?: string;
  /** How long Velero keeps the backup: `status.expiration` minus its start, or `spec.ttl`. */
  ttlSeconds?: number;
  /** Velero's `status.errors`; a `PartiallyFailed` backup has at least one. */
  errors: number;
  /** Velero's `status.warnings`. */
  warnings: number;
  /** ISO 8601 time the backup disappeared from the cluster (Velero expired or deleted it). */
  deletedAt?: string;
  /**
   * How the backup stands against the critical and high SAST findings of the entity's default
   * branches open when it started; present in an entity's responses, for the entity's code.
   */
  security?: BackupSecurityMark;
}

/**
 * Whether a claim's data can be recovered from a backup:
 *
 * - `verified`: a per-volume record (snapshot, file-system backup, data upload) of the claim
 *   belongs to the backup;
 * - `covered`: the backup includes the claim and reports captured volume data, but nothing ties
 *   that data to this claim in particular (weaker);
 * - `not-covered`: no completed backup includes the claim and captured volume data.
 *
 * @public
 */
export type CoverageState = 'verified' | 'covered' | 'not-covered';

/**
 * A persistent volume claim of an entity and its newest good backup.
 *
 * @public
 */
export interface PvcBackupStatus {
  cluster: string;
  namespace: string;
  name: string;
  /** `status.phase` of the claim, for example `Bound`. */
  phase?: string;
  storageClassName?: string;
  /** Requested size, for example `10Gi`. */
  capacity?: string;
  coverage: CoverageState;
  /** Why the claim has this coverage, in a sentence, naming the evidence. */
  coverageReason: string;
  /**
   * The newest backup with phase `Completed` (the only phase Velero itself counts as a good
   * restore point) whose namespace, resource and label filters include this claim and which
   * captured volume data; null when there is none.
   */
  lastGoodBackup: BackupSummary | null;
  /**
   * How old the recovery point is: seconds between the last good backup's `startTimestamp`
   * (when Velero began to capture the data; its `creationTimestamp` if it has no start) and the
   * time of the response; null when there is no such backup.
   */
  lastGoodBackupAgeSeconds: number | null;
}

/**
 * How a catalog entity is mapped to Kubernetes objects.
 *
 * @public
 */
export interface KubernetesMapping {
  /** Value of `backstage.io/kubernetes-id`, if set. */
  kubernetesId?: string;
  /** Value of `backstage.io/kubernetes-label-selector`, if set. */
  labelSelector?: string;
  /** Value of `backstage.io/kubernetes-namespace`, if set. */
  namespace?: string;
}

/**
 * Response of `GET /api/resilience/entities/:kind/:namespace/:name`.
 *
 * @public
 */
export interface EntityResilienceResponse {
  /** The entity reference, for example `component:default/payments`. */
  entityRef: string;
  /**
   * How the entity maps to Kubernetes objects; null when it has neither
   * `backstage.io/kubernetes-id` nor `backstage.io/kubernetes-label-selector`.
   */
  kubernetes: KubernetesMapping | null;
  /** ISO 8601 time the response was computed; ages are relative to it. */
  generatedAt: string;
  /** The entity's persistent volume claims, in every configured cluster. */
  pvcs: PvcBackupStatus[];
  /** Collection status of every configured cluster and source. */
  collection: SourceCollectionStatus[];
  /** The backup policy the entity is checked against, after its annotations. */
  policy: EffectiveBackupPolicy;
  /** The backup checks of the entity, in a fixed order (see {@link BACKUP_CHECK_IDS}). */
  checks: CheckResult[];
  /** The Velero Schedules whose backups include at least one of the entity's claims. */
  schedules: ScheduleSummary[];
  /** The BackupStorageLocations of every cluster the entity has claims in. */
  storageLocations: StorageLocationSummary[];
  /**
   * The backups, of any phase, that include at least one of the entity's claims and were
   * requested within the policy's retention window, and the latest `policy.recentBackups`
   * finished ones of each cluster even when older, newest first (at most
   * {@link BACKUP_TIMELINE_LIMIT}).
   */
  backups: BackupSummary[];
  /**
   * The TLS certificates the entity depends on, in every configured cluster: its
   * Certificates, the TLS Secrets its Ingresses name, and its TLS Secrets that no Certificate
   * manages; soonest `notAfter` first.
   */
  certificates: CertificateSummary[];
  /** The certificate thresholds the entity is held to. */
  certificatePolicy: EffectiveCertificatePolicy;
  /** The certificate checks, in a fixed order (see {@link CERTIFICATE_CHECK_IDS}). */
  certificateChecks: CheckResult[];
  /**
   * The code-security checks, from uploaded SARIF reports of the entity's default branch, in a
   * fixed order (see {@link SAST_CHECK_IDS}).
   */
  codeSecurityChecks: CheckResult[];
  /**
   * The recovery checks, from the entity's restore tests, in their fixed order (see
   * {@link RECOVERY_CHECK_IDS}).
   */
  recoveryChecks: CheckResult[];
}

/**
 * The most backups {@link EntityResilienceResponse.backups} holds.
 *
 * @public
 */
export const BACKUP_TIMELINE_LIMIT = 1000;

/**
 * The outcome of one check:
 *
 * - `pass`: the policy is met;
 * - `warn`: met only in part, or about to be missed;
 * - `fail`: the policy is not met;
 * - `unknown`: the facts needed were never collected (or the policy is invalid): shown as such,
 *   never counted as a pass;
 * - `not-applicable`: nothing to check (for example, an entity without volumes).
 *
 * @public
 */
export type CheckState =
  | 'pass'
  | 'warn'
  | 'fail'
  | 'unknown'
  | 'not-applicable';

/**
 * An object a check's result rests on.
 *
 * @public
 */
export interface CheckEvidence {
  kind:
    | 'pvc'
    | 'backup'
    | 'schedule'
    | 'storage-location'
    | 'certificate'
    | 'secret'
    | 'finding'
    | 'sast-report'
    | 'restore-test';
  cluster: string;
  namespace: string;
  name: string;
  /** What this object says for the check, for example `completed 26 hours ago`. */
  note?: string;
}

/**
 * The result of one check of one entity.
 *
 * @public
 */
export interface CheckResult {
  /**
   * Stable id, for example `backup.rpo`; see {@link BACKUP_CHECK_IDS} and
   * {@link CERTIFICATE_CHECK_IDS} and {@link SAST_CHECK_IDS}; checks added by other modules have
   * ids of their own.
   */
  id:
    | BackupCheckId
    | CertificateCheckId
    | SastCheckId
    | RecoveryCheckId
    | (string & {});
  /** Short title, for example `Last good backup within RPO`. */
  title: string;
  state: CheckState;
  /** The measured value, in `unit`; absent when nothing could be measured. */
  value?: number;
  /** The threshold the value is held against, in `unit`. */
  threshold?: number;
  unit?: 'seconds' | 'count';
  /** Whether `value` passes when it is at most or at least `threshold`. */
  bound?: 'at-most' | 'at-least';
  /** What the result means, in a sentence a person understands. */
  message: string;
  evidence: CheckEvidence[];
}

/**
 * The ids of the backup checks, stable across releases, in the order they are returned.
 *
 * - `backup.pvc-coverage`: every claim is verified or covered by a completed backup;
 * - `backup.rpo`: every claim's last good backup is younger than the RPO;
 * - `backup.schedule`: every claim is included by an enabled, unpaused Schedule whose largest
 *   interval between runs is at most the RPO;
 * - `backup.retention`: every claim's last good backup is kept at least the retention (its TTL);
 * - `backup.storage-location`: the storage locations of the last good backups are `Available`;
 * - `backup.recent-failures`: none of the last N finished backups that include a claim failed.
 *
 * @public
 */
export const BACKUP_CHECK_IDS = [
  'backup.pvc-coverage',
  'backup.rpo',
  'backup.schedule',
  'backup.retention',
  'backup.storage-location',
  'backup.recent-failures',
] as const;

/**
 * One of {@link BACKUP_CHECK_IDS}.
 *
 * @public
 */
export type BackupCheckId = (typeof BACKUP_CHECK_IDS)[number];

/**
 * The backup policy an entity is held to: its tier's values, overridden by its annotations.
 *
 * @public
 */
export interface EffectiveBackupPolicy {
  /** The tier, from `resilience.io/tier` or the configured default tier. */
  tier: string;
  /** Recovery point objective: the oldest a claim's last good backup may be. */
  rpoSeconds: number;
  /** How long each recovery point must be kept. */
  retentionSeconds: number;
  /** How many of the latest finished backups `backup.recent-failures` looks at. */
  recentBackups: number;
  /** The annotations that overrode the tier, for example `["resilience.io/rpo"]`. */
  overriddenBy: string[];
  /**
   * What is wrong with the entity's policy annotations (an unknown tier, a duration that cannot
   * be read), in sentences that say what to fix; the tier's values are used instead.
   */
  problems: string[];
}

/**
 * A Velero Schedule that includes some of an entity's claims.
 *
 * @public
 */
export interface ScheduleSummary {
  cluster: string;
  namespace: string;
  name: string;
  /** The cron expression (`spec.schedule`). */
  schedule: string;
  paused: boolean;
  /** `status.phase`: `Enabled`, `FailedValidation`, or absent when Velero has not seen it. */
  phase?: string;
  /** The longest gap between two runs of `schedule`; absent when it cannot be read. */
  largestIntervalSeconds?: number;
  /** Why `schedule` cannot be read; absent when it can. */
  scheduleError?: string;
  /** ISO 8601 time of the next run; absent when paused, not enabled or unreadable. */
  nextRunAt?: string;
  /** ISO 8601 `status.lastBackup`. */
  lastBackupAt?: string;
  /** The TTL its backups get (`spec.template.ttl`), in seconds; absent when unset. */
  ttlSeconds?: number;
  /** The entity's claims it includes, as `namespace/name`. */
  pvcs: string[];
}

/**
 * A Velero BackupStorageLocation.
 *
 * @public
 */
export interface StorageLocationSummary {
  cluster: string;
  namespace: string;
  name: string;
  /** `status.phase`: `Available` or `Unavailable`; absent before Velero validated it. */
  phase?: string;
  /** Whether it is the default location (`spec.default`). */
  isDefault: boolean;
  provider?: string;
  /** `spec.objectStorage.bucket`. */
  bucket?: string;
  /** `spec.accessMode`: `ReadWrite` or `ReadOnly`. */
  accessMode?: string;
  /** ISO 8601 `status.lastValidationTime`. */
  lastValidatedAt?: string;
  /** `status.message`: why it is unavailable. */
  message?: string;
}
