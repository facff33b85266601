import {
  V1Ingress,
  V1Namespace,
  V1PersistentVolume,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Secret,
} from '@kubernetes/client-node';
import { KubernetesObject } from '../kubernetes/ClusterClient';
import {
  BackupFact,
  BackupSelection,
  CertificateFact,
  CertificateRequestFact,
  ConditionFact,
  DataUploadFact,
  IngressFact,
  IssuerFact,
  NamespaceFact,
  PodFact,
  PodVolumeBackupFact,
  PvcFact,
  PvFact,
  RestoreFact,
  ScheduleFact,
  StorageLocationFact,
  TlsSecretFact,
  VolumeSnapshotContentFact,
  VolumeSnapshotFact,
} from '../database/types';
import { parseGoDuration } from '../scoring/durations';
import { LabelSelectorObject } from '../mapping/labelSelector';
import { parseCertificateChain } from './x509';

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

function asNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value)
    ? value
    : undefined;
}

/** A Go duration (`2160h0m0s`) in milliseconds, as cert-manager's durations are written. */
function durationOf(value: unknown): number | undefined {
  return typeof value === 'string' ? parseGoDuration(value) : undefined;
}

const CONDITION_STATUSES = ['True', 'False', 'Unknown'] as const;

/** `status.conditions` as cert-manager writes them; entries without a type are skipped. */
function conditionsOf(value: unknown): ConditionFact[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value.flatMap(entry => {
    const condition = asObject(entry);
    const type = asString(condition.type);
    if (!type) {
      return [];
    }
    const status = CONDITION_STATUSES.find(s => s === condition.status);
    return [
      {
        type,
        status: status ?? 'Unknown',
        reason: asString(condition.reason),
        message: asString(condition.message),
        lastTransitionTime: asDate(condition.lastTransitionTime),
      },
    ];
  });
}

/** A cert-manager Certificate (cert-manager.io/v1) as a fact; undefined without name or uid. */
export function certificateFact(
  cluster: string,
  object: KubernetesObject,
): CertificateFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const spec = asObject(object.spec);
  const status = asObject(object.status);
  const issuerRef = asObject(spec.issuerRef);
  const privateKey = asObject(spec.privateKey);
  return {
    ...identity,
    labels: { ...(metadata.labels ?? {}) },
    secretName: asString(spec.secretName) ?? '',
    dnsNames: asStrings(spec.dnsNames) ?? [],
    commonName: asString(spec.commonName),
    issuerRef: {
      // cert-manager reads an unset kind as Issuer.
      kind: asString(issuerRef.kind) ?? 'Issuer',
      name: asString(issuerRef.name) ?? '',
      group: asString(issuerRef.group),
    },
    durationMs: durationOf(spec.duration),
    renewBeforeMs: durationOf(spec.renewBefore),
    renewBeforePercentage: asNumber(spec.renewBeforePercentage),
    rotationPolicy: asString(privateKey.rotationPolicy),
    privateKeyAlgorithm: asString(privateKey.algorithm),
    privateKeySize: asNumber(privateKey.size),
    conditions: conditionsOf(status.conditions),
    notBefore: asDate(status.notBefore),
    notAfter: asDate(status.notAfter),
    renewalTime: asDate(status.renewalTime),
    revision: asNumber(status.revision),
    failedIssuanceAttempts: asNumber(status.failedIssuanceAttempts),
    lastFailureTime: asDate(status.lastFailureTime),
  };
}

/** The annotation cert-manager sets on a CertificateRequest: the revision it issues. */
export const ANNOTATION_CERTIFICATE_REVISION =
  'cert-manager.io/certificate-revision';

/**
 * A cert-manager CertificateRequest (cert-manager.io/v1) as a fact; undefined without name or
 * uid. Its Certificate is its controller owner, as cert-manager sets it.
 */
export function certificateRequestFact(
  cluster: string,
  object: KubernetesObject,
): CertificateRequestFact | undefined {
  const metadata = object.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  const owners = (metadata as { ownerReferences?: unknown }).ownerReferences;
  const owner = (Array.isArray(owners) ? owners : [])
    .map(asObject)
    .find(o => o.controller === true && o.kind === 'Certificate');
  const revision = Number(
    metadata.annotations?.[ANNOTATION_CERTIFICATE_REVISION],
  );
  const status = asObject(object.status);
  return {
    ...identity,
    certificateName: owner ? asString(owner.name) : undefined,
    revision: Number.isInteger(revision) && revision > 0 ? revision : undefined,
    createdAt: asDate(metadata.creationTimestamp),
    conditions: conditionsOf(status.conditions),
    failureTime: asDate(status.failureTime),
  };
}

/**
 * A cert-manager Issuer or ClusterIssuer as a fact, its name and readiness only: its spec holds
 * account and solver settings the plugin has no use for. Undefined without name or uid.
 */
export function issuerFact(
  cluster: string,
  object: KubernetesObject,
  kind: IssuerFact['kind'],
): IssuerFact | undefined {
  const identity = identityOf(cluster, object.metadata ?? {}, {
    clusterScoped: kind === 'ClusterIssuer',
  });
  if (!identity) {
    return undefined;
  }
  const ready = conditionsOf(asObject(object.status).conditions).find(
    c => c.type === 'Ready',
  );
  return {
    ...identity,
    kind,
    ready: ready?.status,
    readyReason: ready?.reason,
    readyMessage: ready?.message,
  };
}

/** The Secret type whose `tls.crt` and `tls.key` hold a key pair. */
export const SECRET_TYPE_TLS = 'kubernetes.io/tls';

/**
 * A Secret of type `kubernetes.io/tls` as a fact: who manages it and the parsed chain of its
 * `tls.crt`, or why that cannot be parsed. Nothing else of its data is read: `tls.key` never
 * reaches the fact. Undefined for another type of Secret, or one without name or uid.
 */
export function tlsSecretFact(
  cluster: string,
  secret: V1Secret,
): TlsSecretFact | undefined {
  const metadata = secret.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity || secret.type !== SECRET_TYPE_TLS) {
    return undefined;
  }
  const annotations = metadata.annotations ?? {};
  const encoded = secret.data?.['tls.crt'];
  const parsed =
    encoded === undefined
      ? { chain: [], parseError: 'the Secret has no tls.crt' }
      : parseCertificateChain(Buffer.from(encoded, 'base64').toString('utf8'));
  return {
    ...identity,
    labels: { ...(metadata.labels ?? {}) },
    certificateName:
      annotations['cert-manager.io/certificate-name'] || undefined,
    issuerName: annotations['cert-manager.io/issuer-name'] || undefined,
    issuerKind: annotations['cert-manager.io/issuer-kind'] || undefined,
    chain: parsed.chain,
    parseError: parsed.parseError,
  };
}

/** A networking.k8s.io/v1 Ingress as a fact: the TLS Secrets it serves. */
export function ingressFact(
  cluster: string,
  ingress: V1Ingress,
): IngressFact | undefined {
  const metadata = ingress.metadata ?? {};
  const identity = identityOf(cluster, metadata);
  if (!identity) {
    return undefined;
  }
  return {
    ...identity,
    labels: { ...(metadata.labels ?? {}) },
    tls: (ingress.spec?.tls ?? []).map(tls => ({
      secretName: tls.secretName || undefined,
      hosts: [...(tls.hosts ?? [])],
    })),
  };
}
