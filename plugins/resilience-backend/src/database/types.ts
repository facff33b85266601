import { LabelSelectorObject } from '../mapping/labelSelector';

/**
 * What a Velero Backup or Schedule selects, from its spec (a Schedule's `spec.template`). The
 * coverage of a PVC is computed from this, not from names or conventions.
 */
export interface BackupSelection {
  includedNamespaces?: string[];
  excludedNamespaces?: string[];
  includedResources?: string[];
  excludedResources?: string[];
  includedNamespaceScopedResources?: string[];
  excludedNamespaceScopedResources?: string[];
  labelSelector?: LabelSelectorObject;
  orLabelSelectors?: LabelSelectorObject[];
}

/** A Velero Backup as stored. */
export interface BackupFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  /** `status.phase`; `New` when Velero has not set it yet. */
  phase: string;
  scheduleName?: string;
  storageLocation?: string;
  selection: BackupSelection;
  startedAt?: Date;
  completedAt?: Date;
  expiresAt?: Date;
  errors: number;
  warnings: number;
  /** `metadata.creationTimestamp`: when the backup was requested (a failed one may never start). */
  createdAt?: Date;
  /** How long Velero keeps it: `spec.ttl`, or else `status.expiration` minus the start. */
  ttlMs?: number;
  /** How the backup was asked to capture volume data, and what it reports having captured. */
  capture: BackupCapture;
}

/** A backup's volume-data settings and counts, the backup-level evidence of captured data. */
export interface BackupCapture {
  /** `spec.snapshotVolumes`; undefined when unset, which Velero treats as true. */
  snapshotVolumes?: boolean;
  /** `spec.defaultVolumesToFsBackup`; undefined when unset (the server's default applies). */
  defaultVolumesToFsBackup?: boolean;
  volumeSnapshotsCompleted: number;
  csiVolumeSnapshotsCompleted: number;
  itemOperationsCompleted: number;
}

/** A Velero Schedule as stored. */
export interface ScheduleFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  /** The cron expression of `spec.schedule`. */
  schedule: string;
  paused: boolean;
  phase?: string;
  /** `spec.template.ttl`, a Go duration such as `720h0m0s`. */
  ttl?: string;
  selection: BackupSelection;
  lastBackupAt?: Date;
  /** `spec.template.storageLocation`; the cluster's default location when absent. */
  storageLocation?: string;
  /** `spec.template.snapshotVolumes`; undefined when unset (Velero then snapshots). */
  snapshotVolumes?: boolean;
  /** `spec.template.defaultVolumesToFsBackup`; undefined when unset. */
  defaultVolumesToFsBackup?: boolean;
}

/** A Velero BackupStorageLocation as stored. */
export interface StorageLocationFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  /** `status.phase`: `Available` or `Unavailable`; undefined before Velero validated it. */
  phase?: string;
  /** `spec.default`. */
  isDefault: boolean;
  provider?: string;
  bucket?: string;
  /** `spec.accessMode`: `ReadWrite` (Velero's default) or `ReadOnly`. */
  accessMode?: string;
  lastValidatedAt?: Date;
  message?: string;
}

/** A PersistentVolumeClaim as stored. */
export interface PvcFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  phase?: string;
  storageClassName?: string;
  /** `spec.resources.requests.storage`, for example `10Gi`. */
  capacity?: string;
  volumeName?: string;
  createdAt?: Date;
}

/** A PersistentVolume as stored: what ties a claim to its CSI volume. */
export interface PvFact {
  cluster: string;
  uid: string;
  /** Always '': volumes are cluster-scoped. */
  namespace: string;
  name: string;
  csiDriver?: string;
  volumeHandle?: string;
  claimNamespace?: string;
  claimName?: string;
}

/** A VolumeSnapshotContent that Velero made for a backup. */
export interface VolumeSnapshotContentFact {
  cluster: string;
  uid: string;
  /** Always '': snapshot contents are cluster-scoped. */
  namespace: string;
  name: string;
  backupName?: string;
  volumeHandle?: string;
  snapshotNamespace?: string;
  snapshotName?: string;
  readyToUse?: boolean;
}

/** A DataUpload of Velero's snapshot data movement: one volume's data stored for a backup. */
export interface DataUploadFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  backupName?: string;
  sourceNamespace?: string;
  sourcePvc?: string;
  /** `status.phase`; `Completed` when the volume's data is in the backup storage. */
  phase?: string;
}

/** The facts each collection source produces. */
export interface FactsBySource {
  'velero-backups': BackupFact;
  'velero-schedules': ScheduleFact;
  'persistent-volume-claims': PvcFact;
  'persistent-volumes': PvFact;
  'volume-snapshot-contents': VolumeSnapshotContentFact;
  'data-uploads': DataUploadFact;
  'backup-storage-locations': StorageLocationFact;
}
