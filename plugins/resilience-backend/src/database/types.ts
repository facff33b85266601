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

/**
 * A pod, only as far as coverage needs it: its labels (a label-selected backup includes the
 * claims of the pods it selects), Velero's file-system backup annotations, and which claim each of
 * its volumes mounts. Pods come and go, so their rows are not kept once they disappear.
 */
export interface PodFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** `status.phase`; Velero backs up the volumes of `Running` pods only from the file system. */
  phase?: string;
  /**
   * Pod volume names of the `backup.velero.io/backup-volumes` annotation: opted into file-system
   * backup. Split on commas as Velero does, without trimming; empty when absent.
   */
  backupVolumes: string[];
  /** Pod volume names of the `backup.velero.io/backup-volumes-excludes` annotation. */
  backupVolumesExcludes: string[];
  /** The claim each persistent-volume-claim volume mounts, by pod volume name. */
  claims: Record<string, string>;
}

/** A namespace: restore tests must never restore into one that exists. Not kept once gone. */
export interface NamespaceFact {
  cluster: string;
  uid: string;
  /** Always '': namespaces are cluster-scoped. */
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** `status.phase`: `Active` or `Terminating`. */
  phase?: string;
}

/** A PodVolumeBackup of Velero's file-system backup: one pod volume's data stored for a backup. */
export interface PodVolumeBackupFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  /** Label `velero.io/backup-name`. */
  backupName?: string;
  /** `spec.pod.namespace`: the namespace of the pod, and of the claim it mounts. */
  podNamespace?: string;
  podName?: string;
  /** `spec.pod.uid`: ties the record to one pod object, whose volumes cannot change. */
  podUid?: string;
  /** `spec.volume`: the pod volume's name. */
  volume?: string;
  /** Label `velero.io/pvc-uid`, which Velero sets when the pod volume is a claim. */
  pvcUid?: string;
  /** `status.phase`; `Completed` when the volume's data is in the backup storage. */
  phase?: string;
}

/** A VolumeSnapshot that Velero made for a backup; Velero usually deletes these afterwards. */
export interface VolumeSnapshotFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  backupName?: string;
  /** `spec.source.persistentVolumeClaimName`, a claim of the snapshot's namespace. */
  sourcePvc?: string;
  readyToUse?: boolean;
  /** `status.boundVolumeSnapshotContentName`. */
  contentName?: string;
}

/** A Velero Restore as stored. */
export interface RestoreFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  /** `spec.backupName`. */
  backupName?: string;
  /** `spec.namespaceMapping`: source namespace to target namespace. */
  namespaceMapping: Record<string, string>;
  /** `status.phase`; `New` when Velero has not set it yet. */
  phase: string;
  startedAt?: Date;
  completedAt?: Date;
  errors: number;
  warnings: number;
  /** `status.failureReason`. */
  failureReason?: string;
}

/** A status condition as cert-manager writes it. */
export interface ConditionFact {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: Date;
}

/** A cert-manager `Certificate` (cert-manager.io/v1) as stored. */
export interface CertificateFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** `spec.secretName`: the Secret cert-manager writes the key pair to. */
  secretName: string;
  /** `spec.dnsNames`. */
  dnsNames: string[];
  /** `spec.commonName`. */
  commonName?: string;
  /** `spec.issuerRef`; kind `Issuer` when unset, as cert-manager reads it. */
  issuerRef: { kind: string; name: string; group?: string };
  /** `spec.duration` in milliseconds; absent when unset (cert-manager then asks for 90 days). */
  durationMs?: number;
  /** `spec.renewBefore` in milliseconds. */
  renewBeforeMs?: number;
  /** `spec.renewBeforePercentage`. */
  renewBeforePercentage?: number;
  /** `spec.privateKey.rotationPolicy`. */
  rotationPolicy?: string;
  /** `spec.privateKey.algorithm` and `size`, as requested. */
  privateKeyAlgorithm?: string;
  privateKeySize?: number;
  /** `status.conditions`. */
  conditions: ConditionFact[];
  /** `status.notBefore`, `status.notAfter`, `status.renewalTime`. */
  notBefore?: Date;
  notAfter?: Date;
  renewalTime?: Date;
  /** `status.revision`. */
  revision?: number;
  /** `status.failedIssuanceAttempts`. */
  failedIssuanceAttempts?: number;
  /** `status.lastFailureTime`. */
  lastFailureTime?: Date;
}

/** A cert-manager `CertificateRequest` as stored: which Certificate revision, and how it ended. */
export interface CertificateRequestFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  /** The Certificate it was made for (its controller owner reference). */
  certificateName?: string;
  /** The `cert-manager.io/certificate-revision` annotation. */
  revision?: number;
  createdAt?: Date;
  /** `status.conditions`: `Ready`, `Approved`, `Denied`, `InvalidRequest`. */
  conditions: ConditionFact[];
  /** `status.failureTime`. */
  failureTime?: Date;
}

/** A cert-manager `Issuer` or `ClusterIssuer`: its name and readiness only. */
export interface IssuerFact {
  cluster: string;
  uid: string;
  /** The namespace of an Issuer; `''` for a ClusterIssuer. */
  namespace: string;
  name: string;
  /** `Issuer` or `ClusterIssuer`. */
  kind: 'Issuer' | 'ClusterIssuer';
  /** The `Ready` condition's status; absent when there is none. */
  ready?: 'True' | 'False' | 'Unknown';
  readyReason?: string;
  readyMessage?: string;
}

/** One certificate of a chain, parsed from PEM. Mirrors the API's X509Summary with dates. */
export interface X509Fact {
  subject: string;
  issuer: string;
  serialNumber: string;
  dnsNames: string[];
  ipAddresses: string[];
  notBefore: Date;
  notAfter: Date;
  keyType?: string;
  keySize?: number;
  curve?: string;
  signatureAlgorithm?: string;
  selfSigned: boolean;
  isCa: boolean;
  fingerprintSha256: string;
}

/**
 * A Secret of type `kubernetes.io/tls` as stored: the parsed `tls.crt` chain and who manages it.
 * `tls.key` is never part of it.
 */
export interface TlsSecretFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** The `cert-manager.io/certificate-name` annotation cert-manager writes on its Secrets. */
  certificateName?: string;
  /** The `cert-manager.io/issuer-name` and `issuer-kind` annotations. */
  issuerName?: string;
  issuerKind?: string;
  /** The certificates of `tls.crt`, in the order they appear (the leaf first, normally). */
  chain: X509Fact[];
  /** Why `tls.crt` could not be read, when it could not: the Secret is a finding, not a crash. */
  parseError?: string;
}

/** A networking.k8s.io/v1 `Ingress`: the TLS Secrets it serves. */
export interface IngressFact {
  cluster: string;
  uid: string;
  namespace: string;
  name: string;
  labels: Record<string, string>;
  /** `spec.tls[]`: each Secret name with its hosts. */
  tls: Array<{ secretName?: string; hosts: string[] }>;
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
  pods: PodFact;
  namespaces: NamespaceFact;
  'pod-volume-backups': PodVolumeBackupFact;
  'volume-snapshots': VolumeSnapshotFact;
  'velero-restores': RestoreFact;
  certificates: CertificateFact;
  'certificate-requests': CertificateRequestFact;
  issuers: IssuerFact;
  'cluster-issuers': IssuerFact;
  'tls-secrets': TlsSecretFact;
  ingresses: IngressFact;
}
