import {
  V1Namespace,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
} from '@kubernetes/client-node';
import { KubernetesObject } from '../kubernetes/ClusterClient';
import {
  BackupFact,
  BackupSelection,
  DataUploadFact,
  NamespaceFact,
  PodFact,
  PodVolumeBackupFact,
  PvcFact,
  PvFact,
  RestoreFact,
  ScheduleFact,
  StorageLocationFact,
  VolumeSnapshotContentFact,
  VolumeSnapshotFact,
} from '../database/types';
import { parseGoDuration } from '../scoring/durations';
import { LabelSelectorObject } from '../mapping/labelSelector';

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : {};
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function asStrings(value: unknown): string[] | undefined {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : undefined;
}

function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

function asCount(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : 0;
}

/** A positive Go duration (`720h0m0s`) in milliseconds; Velero treats zero as "the default". */
function ttlOf(value: unknown): number | undefined {
  const ms = typeof value === 'string' ? parseGoDuration(value) : undefined;
  return ms && ms > 0 ? ms : undefined;
}

function lifetime(start?: Date, end?: Date): number | undefined {
  const ms = start && end ? end.getTime() - start.getTime() : undefined;
  return ms && ms > 0 ? ms : undefined;
}

/** The backup a per-volume record belongs to: Velero's `velero.io/backup-name` label. */
function backupNameOf(metadata: { labels?: Record<string, string> }) {
  return metadata.labels?.['velero.io/backup-name'] || undefined;
}

/** Parses an RFC 3339 timestamp (or a Date); anything unreadable is treated as absent. */
export function asDate(value: unknown): Date | undefined {
  if (value instanceof Date) {
    return Number.isNaN(value.getTime()) ? undefined : value;
  }
  if (typeof value !== 'string' || value === '') {
    return undefined;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * The fields every fact has, or undefined for an object without name or uid (which an API server
 * never returns, so such an object is skipped rather than stored half-known).
 */
function identityOf(
  cluster: string,
  metadata: { uid?: string; name?: string; namespace?: string },
  options: { clusterScoped?: boolean } = {},
) {
  const { uid, name } = metadata;
  if (!uid || !name) {
    return undefined;
  }
  const namespace = options.clusterScoped ? '' : metadata.namespace ?? '';
  return { cluster, uid, namespace, name };
}

function selectionOf(spec: Json): BackupSelection {
  const selection: BackupSelection = {};
  const lists = [
    'includedNamespaces',
    'excludedNamespaces',
    'includedResources',
    'excludedResources',
    'includedNamespaceScopedResources',
    'excludedNamespaceScopedResources',
  ] as const;
  for (const key of lists) {
    const value = asStrings(spec[key]);
    if (value && value.length > 0) {
      selection[key] = value;
    }
  }
  if (spec.labelSelector && typeof spec.labelSelector === 'object') {
    selection.labelSelector = spec.labelSelector as LabelSelectorObject;
  }
  if (Array.isArray(spec.orLabelSelectors) && spec.orLabelSelectors.length) {
    selection.orLabelSelectors = spec.orLabelSelectors as LabelSelectorObject[];
  }
  return selection;
}

/** A Velero Backup (velero.io/v1) as a fact; undefined for an object without name or uid. */
export function backupFact(
  cluster: string,
  object: KubernetesObject,
): BackupFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const status = asObject(object.status);
  const startedAt = asDate(status.startTimestamp);
  const expiresAt = asDate(status.expiration);
  return {
    ...identity,
    phase: asString(status.phase) ?? 'New',
    scheduleName: metadata.labels?.['velero.io/schedule-name'] || undefined,
    storageLocation: asString(spec.storageLocation),
    selection: selectionOf(spec),
    startedAt,
    completedAt: asDate(status.completionTimestamp),
    expiresAt,
    errors: asCount(status.errors),
    warnings: asCount(status.warnings),
    createdAt: asDate(metadata.creationTimestamp),
    ttlMs: ttlOf(spec.ttl) ?? lifetime(startedAt, expiresAt),
    capture: {
      snapshotVolumes: asBoolean(spec.snapshotVolumes),
      defaultVolumesToFsBackup: asBoolean(spec.defaultVolumesToFsBackup),
      volumeSnapshotsCompleted: asCount(status.volumeSnapshotsCompleted),
      csiVolumeSnapshotsCompleted: asCount(status.csiVolumeSnapshotsCompleted),
      itemOperationsCompleted: asCount(status.backupItemOperationsCompleted),
    },
  };
}

/** A Velero Schedule (velero.io/v1) as a fact; undefined for an object without name or uid. */
export function scheduleFact(
  cluster: string,
  object: KubernetesObject,
): ScheduleFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const status = asObject(object.status);
  const template = asObject(spec.template);
  return {
    ...identity,
    schedule: asString(spec.schedule) ?? '',
    paused: spec.paused === true,
    phase: asString(status.phase),
    ttl: asString(template.ttl),
    selection: selectionOf(template),
    lastBackupAt: asDate(status.lastBackup),
    storageLocation: asString(template.storageLocation),
    snapshotVolumes: asBoolean(template.snapshotVolumes),
    defaultVolumesToFsBackup: asBoolean(template.defaultVolumesToFsBackup),
  };
}

/**
 * A Velero BackupStorageLocation (velero.io/v1) as a fact; undefined for an object without name
 * or uid.
 */
export function storageLocationFact(
  cluster: string,
  object: KubernetesObject,
): StorageLocationFact | undefined {
  const identity = identityOf(cluster, object.metadata ?? {});
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const status = asObject(object.status);
  return {
    ...identity,
    phase: asString(status.phase),
    isDefault: spec.default === true,
    provider: asString(spec.provider),
    bucket: asString(asObject(spec.objectStorage).bucket),
    accessMode: asString(spec.accessMode),
    lastValidatedAt: asDate(status.lastValidationTime),
    message: asString(status.message),
  };
}

/** A PersistentVolumeClaim as a fact; undefined for an object without name or uid. */
export function pvcFact(
  cluster: string,
  claim: V1PersistentVolumeClaim,
): PvcFact | undefined {
  const metadata = claim.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const storage = claim.spec?.resources?.requests?.storage;
  return {
    ...identity,
    labels: { ...(metadata.labels ?? {}) },
    phase: claim.status?.phase,
    storageClassName: claim.spec?.storageClassName,
    capacity: storage === undefined ? undefined : String(storage),
    volumeName: claim.spec?.volumeName,
    createdAt: asDate(metadata.creationTimestamp),
  };
}

/** A PersistentVolume as a fact; undefined for an object without name or uid. */
export function pvFact(
  cluster: string,
  volume: V1PersistentVolume,
): PvFact | undefined {
  const metadata = volume.metadata ?? {};
  const identity = identityOf(cluster, metadata, { clusterScoped: true });
  if (!identity) {
    return undefined;
  }
  return {
    ...identity,
    csiDriver: volume.spec?.csi?.driver,
    volumeHandle: volume.spec?.csi?.volumeHandle,
    claimNamespace: volume.spec?.claimRef?.namespace,
    claimName: volume.spec?.claimRef?.name,
  };
}

/**
 * A VolumeSnapshotContent (snapshot.storage.k8s.io/v1) as a fact; undefined for an object
 * without name or uid.
 */
export function volumeSnapshotContentFact(
  cluster: string,
  object: KubernetesObject,
): VolumeSnapshotContentFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata, { clusterScoped: true });
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const source = asObject(spec.source);
  const ref = asObject(spec.volumeSnapshotRef);
  const status = asObject(object.status);
  return {
    ...identity,
    backupName: backupNameOf(metadata),
    volumeHandle: asString(source.volumeHandle),
    snapshotNamespace: asString(ref.namespace),
    snapshotName: asString(ref.name),
    readyToUse: asBoolean(status.readyToUse),
  };
}

/** A DataUpload (velero.io/v2alpha1) as a fact; undefined for an object without name or uid. */
export function dataUploadFact(
  cluster: string,
  object: KubernetesObject,
): DataUploadFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const status = asObject(object.status);
  return {
    ...identity,
    backupName: backupNameOf(metadata),
    sourceNamespace: asString(spec.sourceNamespace),
    sourcePvc: asString(spec.sourcePVC),
    phase: asString(status.phase),
  };
}

/** Velero's pod annotation naming the volumes to back up from the file system. */
export const ANNOTATION_BACKUP_VOLUMES = 'backup.velero.io/backup-volumes';
/** Velero's pod annotation naming the volumes that file-system backup by default leaves out. */
export const ANNOTATION_BACKUP_VOLUMES_EXCLUDES =
  'backup.velero.io/backup-volumes-excludes';

/**
 * The volume names of one of Velero's pod annotations. Velero splits the value on commas and does
 * not trim the parts, so neither is this done here: `a, b` names ` b`, which no volume is called.
 */
function volumeList(value: string | undefined): string[] {
  return value ? value.split(',').filter(name => name !== '') : [];
}

/** A Pod as a fact; undefined for an object without name or uid. */
export function podFact(cluster: string, pod: V1Pod): PodFact | undefined {
  const metadata = pod.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const annotations = metadata.annotations ?? {};
  const claims: Record<string, string> = {};
  for (const volume of pod.spec?.volumes ?? []) {
    const claimName = volume.persistentVolumeClaim?.claimName;
    if (volume.name && claimName) {
      claims[volume.name] = claimName;
    }
  }
  return {
    ...identity,
    labels: { ...(metadata.labels ?? {}) },
    phase: pod.status?.phase,
    backupVolumes: volumeList(annotations[ANNOTATION_BACKUP_VOLUMES]),
    backupVolumesExcludes: volumeList(
      annotations[ANNOTATION_BACKUP_VOLUMES_EXCLUDES],
    ),
    claims,
  };
}

/** A Namespace as a fact; undefined for an object without name or uid. */
export function namespaceFact(
  cluster: string,
  namespace: V1Namespace,
): NamespaceFact | undefined {
  const metadata = namespace.metadata ?? {};
  const identity = identityOf(cluster, metadata, { clusterScoped: true });
  if (!identity) {
    return undefined;
  }
  return {
    ...identity,
    labels: { ...(metadata.labels ?? {}) },
    phase: namespace.status?.phase,
  };
}

/**
 * A PodVolumeBackup (velero.io/v1) as a fact; undefined for an object without name or uid. The
 * claim's uid is Velero's `velero.io/pvc-uid` label, or the `pvc-uid` tag it sets with it.
 */
export function podVolumeBackupFact(
  cluster: string,
  object: KubernetesObject,
): PodVolumeBackupFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const pod = asObject(spec.pod);
  const tags = asObject(spec.tags);
  const status = asObject(object.status);
  return {
    ...identity,
    backupName: backupNameOf(metadata),
    podNamespace: asString(pod.namespace),
    podName: asString(pod.name),
    podUid: asString(pod.uid),
    volume: asString(spec.volume),
    pvcUid:
      metadata.labels?.['velero.io/pvc-uid'] ||
      asString(tags['pvc-uid']) ||
      undefined,
    phase: asString(status.phase),
  };
}

/**
 * A VolumeSnapshot (snapshot.storage.k8s.io/v1) as a fact; undefined for an object without name
 * or uid.
 */
export function volumeSnapshotFact(
  cluster: string,
  object: KubernetesObject,
): VolumeSnapshotFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const source = asObject(asObject(object.spec).source);
  const status = asObject(object.status);
  return {
    ...identity,
    backupName: backupNameOf(metadata),
    sourcePvc: asString(source.persistentVolumeClaimName),
    readyToUse: asBoolean(status.readyToUse),
    contentName: asString(status.boundVolumeSnapshotContentName),
  };
}

/** A Velero Restore (velero.io/v1) as a fact; undefined for an object without name or uid. */
export function restoreFact(
  cluster: string,
  object: KubernetesObject,
): RestoreFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const status = asObject(object.status);
  const namespaceMapping: Record<string, string> = {};
  for (const [from, to] of Object.entries(asObject(spec.namespaceMapping))) {
    const target = asString(to);
    if (target) {
      namespaceMapping[from] = target;
    }
  }
  return {
    ...identity,
    backupName: asString(spec.backupName),
    namespaceMapping,
    phase: asString(status.phase) ?? 'New',
    startedAt: asDate(status.startTimestamp),
    completedAt: asDate(status.completionTimestamp),
    errors: asCount(status.errors),
    warnings: asCount(status.warnings),
    failureReason: asString(status.failureReason),
  };
}
