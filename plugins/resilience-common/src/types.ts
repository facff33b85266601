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
  | 'pods'
  | 'namespaces'
  | 'pod-volume-backups'
  | 'volume-snapshots'
  | 'velero-restores';

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
  /** ISO 8601 `status.startTimestamp`. */
  startedAt?: string;
  /** ISO 8601 `status.completionTimestamp`. */
  completedAt?: string;
  /** ISO 8601 `status.expiration`. */
  expiresAt?: string;
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
   * Seconds between the last good backup's `completionTimestamp` and the time of the response;
   * null when there is no such backup.
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
}
