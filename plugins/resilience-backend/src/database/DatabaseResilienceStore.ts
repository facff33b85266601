import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import {
  CollectionSource,
  PillarId,
  RestoreTestState,
} from '@resilience-for-backstage/plugin-resilience-common';
import * as ownership from './ownership';
import * as summaries from './scorecardSummaries';
import { inJsonList } from './jsonList';
import * as restoreTests from './restoreTests';
import {
  chunks,
  isUniqueViolation,
  dayOf,
  PILLAR_COLUMNS,
  Row,
  scoreFromRow,
  toDate,
} from './rows';
import { createHash, randomUUID } from 'node:crypto';
import { Knex } from 'knex';
import { ConflictError, InputError } from '@backstage/errors';
import {
  BackupInclusion,
  BackupInclusionInputs,
  clusterScope,
  clusterSharedScope,
  clusterStatusScope,
  entityScope,
  kubernetesIdScope,
  namespaceScope,
  EvaluatedEntityResult,
  FactChangesApplied,
  ResilienceStore,
  StoredBackup,
  StoredBackupSelection,
  SastRunToIngest,
  StoredCertificateRenewal,
  StoredCollectionStatus,
  StoredEntityResult,
  StoredEntityScore,
  StoredSastFinding,
  StoredSastFindingSpan,
  StoredSastReport,
  StoredScorePoint,
} from './ResilienceStore';
import { FindingSeverity, NormalisedFinding } from '../sast/types';
import {
  BackupFact,
  CertificateFact,
  CertificateRequestFact,
  ConditionFact,
  DataUploadFact,
  FactsBySource,
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
  X509Fact,
} from './types';
import { LABEL_KUBERNETES_ID } from '@resilience-for-backstage/plugin-resilience-common';
import {
  CHANGED_SINCE_LISTING,
  changedPartitions,
  Partition,
  partitionDigests,
  partitionsOf,
  sortPartitions,
} from './factPartitions';

const migrationsDir = resolvePackagePath(
  '@resilience-for-backstage/plugin-resilience-backend',
  'migrations',
);

/** Rows per INSERT: well under SQLite's limit on bound variables for every table. */
const CHUNK_SIZE = 200;

/** Timestamps come back as Date (PostgreSQL) or epoch milliseconds (SQLite). */

/** Booleans come back as true/false (PostgreSQL) or 1/0 (SQLite). */
function optionalBoolean(value: unknown): boolean | undefined {
  return value === null || value === undefined ? undefined : Boolean(value);
}

function optional<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

/** The columns every fact table shares, as the fields every fact has. */
function identity(r: Row) {
  return {
    cluster: r.cluster as string,
    uid: r.uid as string,
    namespace: r.namespace as string,
    name: r.name as string,
  };
}

interface FactTable<F> {
  table: string;
  /**
   * Whether rows outlive their objects: true keeps a row with `deleted_at` when its object is no
   * longer listed (until the history retention ends); false removes it at once, for objects such
   * as pods that churn and say nothing once gone.
   */
  history: boolean;
  toRow(fact: F): Row;
  fromRow(row: Row): F;
}

/**
 * Backups newest first as Velero orders them (`newestBackupFirst` in common): by their start, or
 * their creation while they have not started (`ordered_at`), ties by name descending.
 */
const NEWEST_BACKUPS_FIRST = 'ordered_at desc nulls last, name desc';

/** The key of a backup selection: the SHA-256 of its stored JSON (also in the migration). */
function selectionKey(selection: string): string {
  return createHash('sha256').update(selection).digest('hex');
}

const backups: FactTable<BackupFact> = {
  table: 'resilience_backups',
  history: true,
  toRow: f => {
    const selection = JSON.stringify(f.selection);
    return {
      phase: f.phase,
      schedule_name: f.scheduleName ?? null,
      storage_location: f.storageLocation ?? null,
      selection,
      selection_key: selectionKey(selection),
      started_at: f.startedAt ?? null,
      completed_at: f.completedAt ?? null,
      expires_at: f.expiresAt ?? null,
      errors: f.errors,
      warnings: f.warnings,
      snapshot_volumes: f.capture.snapshotVolumes ?? null,
      default_volumes_to_fs_backup: f.capture.defaultVolumesToFsBackup ?? null,
      volume_snapshots_completed: f.capture.volumeSnapshotsCompleted,
      csi_volume_snapshots_completed: f.capture.csiVolumeSnapshotsCompleted,
      item_operations_completed: f.capture.itemOperationsCompleted,
      created_at: f.createdAt ?? null,
      ordered_at: f.startedAt ?? f.createdAt ?? null,
      ttl_ms: f.ttlMs ?? null,
    };
  },
  fromRow: r => ({
    ...identity(r),
    phase: r.phase as string,
    scheduleName: optional(r.schedule_name as string | null),
    storageLocation: optional(r.storage_location as string | null),
    selection: JSON.parse(r.selection as string),
    startedAt: toDate(r.started_at),
    completedAt: toDate(r.completed_at),
    expiresAt: toDate(r.expires_at),
    errors: Number(r.errors),
    warnings: Number(r.warnings),
    capture: {
      snapshotVolumes: optionalBoolean(r.snapshot_volumes),
      defaultVolumesToFsBackup: optionalBoolean(r.default_volumes_to_fs_backup),
      volumeSnapshotsCompleted: Number(r.volume_snapshots_completed),
      csiVolumeSnapshotsCompleted: Number(r.csi_volume_snapshots_completed),
      itemOperationsCompleted: Number(r.item_operations_completed),
    },
    createdAt: toDate(r.created_at),
    ttlMs: r.ttl_ms === null ? undefined : Number(r.ttl_ms),
  }),
};

const schedules: FactTable<ScheduleFact> = {
  table: 'resilience_schedules',
  history: true,
  toRow: f => ({
    schedule: f.schedule,
    paused: f.paused,
    phase: f.phase ?? null,
    ttl: f.ttl ?? null,
    selection: JSON.stringify(f.selection),
    selection_key: selectionKey(JSON.stringify(f.selection)),
    last_backup_at: f.lastBackupAt ?? null,
    storage_location: f.storageLocation ?? null,
    snapshot_volumes: f.snapshotVolumes ?? null,
    default_volumes_to_fs_backup: f.defaultVolumesToFsBackup ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    schedule: r.schedule as string,
    paused: Boolean(r.paused),
    phase: optional(r.phase as string | null),
    ttl: optional(r.ttl as string | null),
    selection: JSON.parse(r.selection as string),
    lastBackupAt: toDate(r.last_backup_at),
    storageLocation: optional(r.storage_location as string | null),
    snapshotVolumes: optionalBoolean(r.snapshot_volumes),
    defaultVolumesToFsBackup: optionalBoolean(r.default_volumes_to_fs_backup),
  }),
};

const storageLocations: FactTable<StorageLocationFact> = {
  table: 'resilience_storage_locations',
  history: true,
  toRow: f => ({
    phase: f.phase ?? null,
    is_default: f.isDefault,
    provider: f.provider ?? null,
    bucket: f.bucket ?? null,
    access_mode: f.accessMode ?? null,
    last_validated_at: f.lastValidatedAt ?? null,
    message: f.message ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    phase: optional(r.phase as string | null),
    isDefault: Boolean(r.is_default),
    provider: optional(r.provider as string | null),
    bucket: optional(r.bucket as string | null),
    accessMode: optional(r.access_mode as string | null),
    lastValidatedAt: toDate(r.last_validated_at),
    message: optional(r.message as string | null),
  }),
};

const pvcs: FactTable<PvcFact> = {
  table: 'resilience_pvcs',
  history: true,
  toRow: f => ({
    labels: JSON.stringify(f.labels),
    kubernetes_id: f.labels[LABEL_KUBERNETES_ID] ?? null,
    phase: f.phase ?? null,
    storage_class_name: f.storageClassName ?? null,
    capacity: f.capacity ?? null,
    volume_name: f.volumeName ?? null,
    created_at: f.createdAt ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    labels: JSON.parse(r.labels as string),
    phase: optional(r.phase as string | null),
    storageClassName: optional(r.storage_class_name as string | null),
    capacity: optional(r.capacity as string | null),
    volumeName: optional(r.volume_name as string | null),
    createdAt: toDate(r.created_at),
  }),
};

const pvs: FactTable<PvFact> = {
  table: 'resilience_pvs',
  history: true,
  toRow: f => ({
    csi_driver: f.csiDriver ?? null,
    volume_handle: f.volumeHandle ?? null,
    claim_namespace: f.claimNamespace ?? null,
    claim_name: f.claimName ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    csiDriver: optional(r.csi_driver as string | null),
    volumeHandle: optional(r.volume_handle as string | null),
    claimNamespace: optional(r.claim_namespace as string | null),
    claimName: optional(r.claim_name as string | null),
  }),
};

const snapshotContents: FactTable<VolumeSnapshotContentFact> = {
  table: 'resilience_volume_snapshot_contents',
  history: true,
  toRow: f => ({
    backup_name: f.backupName ?? null,
    volume_handle: f.volumeHandle ?? null,
    snapshot_namespace: f.snapshotNamespace ?? null,
    snapshot_name: f.snapshotName ?? null,
    ready_to_use: f.readyToUse ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    backupName: optional(r.backup_name as string | null),
    volumeHandle: optional(r.volume_handle as string | null),
    snapshotNamespace: optional(r.snapshot_namespace as string | null),
    snapshotName: optional(r.snapshot_name as string | null),
    readyToUse: optionalBoolean(r.ready_to_use),
  }),
};

const dataUploads: FactTable<DataUploadFact> = {
  table: 'resilience_data_uploads',
  history: true,
  toRow: f => ({
    backup_name: f.backupName ?? null,
    source_namespace: f.sourceNamespace ?? null,
    source_pvc: f.sourcePvc ?? null,
    phase: f.phase ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    backupName: optional(r.backup_name as string | null),
    sourceNamespace: optional(r.source_namespace as string | null),
    sourcePvc: optional(r.source_pvc as string | null),
    phase: optional(r.phase as string | null),
  }),
};

const pods: FactTable<PodFact> = {
  table: 'resilience_pods',
  history: false,
  toRow: f => ({
    labels: JSON.stringify(f.labels),
    phase: f.phase ?? null,
    backup_volumes: JSON.stringify(f.backupVolumes),
    backup_volumes_excludes: JSON.stringify(f.backupVolumesExcludes),
    claims: JSON.stringify(f.claims),
  }),
  fromRow: r => ({
    ...identity(r),
    labels: JSON.parse(r.labels as string),
    phase: optional(r.phase as string | null),
    backupVolumes: JSON.parse(r.backup_volumes as string),
    backupVolumesExcludes: JSON.parse(r.backup_volumes_excludes as string),
    claims: JSON.parse(r.claims as string),
  }),
};

const namespaces: FactTable<NamespaceFact> = {
  table: 'resilience_namespaces',
  history: false,
  toRow: f => ({
    labels: JSON.stringify(f.labels),
    phase: f.phase ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    labels: JSON.parse(r.labels as string),
    phase: optional(r.phase as string | null),
  }),
};

const podVolumeBackups: FactTable<PodVolumeBackupFact> = {
  table: 'resilience_pod_volume_backups',
  history: true,
  toRow: f => ({
    backup_name: f.backupName ?? null,
    pod_namespace: f.podNamespace ?? null,
    pod_name: f.podName ?? null,
    pod_uid: f.podUid ?? null,
    volume: f.volume ?? null,
    pvc_uid: f.pvcUid ?? null,
    phase: f.phase ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    backupName: optional(r.backup_name as string | null),
    podNamespace: optional(r.pod_namespace as string | null),
    podName: optional(r.pod_name as string | null),
    podUid: optional(r.pod_uid as string | null),
    volume: optional(r.volume as string | null),
    pvcUid: optional(r.pvc_uid as string | null),
    phase: optional(r.phase as string | null),
  }),
};

const volumeSnapshots: FactTable<VolumeSnapshotFact> = {
  table: 'resilience_volume_snapshots',
  history: true,
  toRow: f => ({
    backup_name: f.backupName ?? null,
    source_pvc: f.sourcePvc ?? null,
    ready_to_use: f.readyToUse ?? null,
    content_name: f.contentName ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    backupName: optional(r.backup_name as string | null),
    sourcePvc: optional(r.source_pvc as string | null),
    readyToUse: optionalBoolean(r.ready_to_use),
    contentName: optional(r.content_name as string | null),
  }),
};

const restores: FactTable<RestoreFact> = {
  table: 'resilience_restores',
  history: true,
  toRow: f => ({
    backup_name: f.backupName ?? null,
    namespace_mapping: JSON.stringify(f.namespaceMapping),
    phase: f.phase,
    started_at: f.startedAt ?? null,
    completed_at: f.completedAt ?? null,
    errors: f.errors,
    warnings: f.warnings,
    failure_reason: f.failureReason ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    backupName: optional(r.backup_name as string | null),
    namespaceMapping: JSON.parse(r.namespace_mapping as string),
    phase: r.phase as string,
    startedAt: toDate(r.started_at),
    completedAt: toDate(r.completed_at),
    errors: Number(r.errors),
    warnings: Number(r.warnings),
    failureReason: optional(r.failure_reason as string | null),
  }),
};

function optionalNumber(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : Number(value);
}

/** Conditions as stored: JSON, with each transition time as an ISO 8601 string. */
function conditionsFromJson(text: string): ConditionFact[] {
  return (JSON.parse(text) as Array<Record<string, unknown>>).map(c => ({
    type: c.type as string,
    status: c.status as ConditionFact['status'],
    reason: optional(c.reason as string | undefined),
    message: optional(c.message as string | undefined),
    lastTransitionTime: toDate(c.lastTransitionTime),
  }));
}

const certificates: FactTable<CertificateFact> = {
  table: 'resilience_certificates',
  history: true,
  toRow: f => ({
    labels: JSON.stringify(f.labels),
    kubernetes_id: f.labels[LABEL_KUBERNETES_ID] ?? null,
    secret_name: f.secretName,
    dns_names: JSON.stringify(f.dnsNames),
    common_name: f.commonName ?? null,
    issuer_kind: f.issuerRef.kind,
    issuer_name: f.issuerRef.name,
    issuer_group: f.issuerRef.group ?? null,
    duration_ms: f.durationMs ?? null,
    renew_before_ms: f.renewBeforeMs ?? null,
    renew_before_percentage: f.renewBeforePercentage ?? null,
    rotation_policy: f.rotationPolicy ?? null,
    private_key_algorithm: f.privateKeyAlgorithm ?? null,
    private_key_size: f.privateKeySize ?? null,
    conditions: JSON.stringify(f.conditions),
    not_before: f.notBefore ?? null,
    not_after: f.notAfter ?? null,
    renewal_time: f.renewalTime ?? null,
    revision: f.revision ?? null,
    failed_issuance_attempts: f.failedIssuanceAttempts ?? null,
    last_failure_time: f.lastFailureTime ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    labels: JSON.parse(r.labels as string),
    secretName: r.secret_name as string,
    dnsNames: JSON.parse(r.dns_names as string),
    commonName: optional(r.common_name as string | null),
    issuerRef: {
      kind: r.issuer_kind as string,
      name: r.issuer_name as string,
      group: optional(r.issuer_group as string | null),
    },
    durationMs: optionalNumber(r.duration_ms),
    renewBeforeMs: optionalNumber(r.renew_before_ms),
    renewBeforePercentage: optionalNumber(r.renew_before_percentage),
    rotationPolicy: optional(r.rotation_policy as string | null),
    privateKeyAlgorithm: optional(r.private_key_algorithm as string | null),
    privateKeySize: optionalNumber(r.private_key_size),
    conditions: conditionsFromJson(r.conditions as string),
    notBefore: toDate(r.not_before),
    notAfter: toDate(r.not_after),
    renewalTime: toDate(r.renewal_time),
    revision: optionalNumber(r.revision),
    failedIssuanceAttempts: optionalNumber(r.failed_issuance_attempts),
    lastFailureTime: toDate(r.last_failure_time),
  }),
};

const certificateRequests: FactTable<CertificateRequestFact> = {
  table: 'resilience_certificate_requests',
  history: true,
  toRow: f => ({
    certificate_name: f.certificateName ?? null,
    revision: f.revision ?? null,
    created_at: f.createdAt ?? null,
    conditions: JSON.stringify(f.conditions),
    failure_time: f.failureTime ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    certificateName: optional(r.certificate_name as string | null),
    revision: optionalNumber(r.revision),
    createdAt: toDate(r.created_at),
    conditions: conditionsFromJson(r.conditions as string),
    failureTime: toDate(r.failure_time),
  }),
};

function issuerTable(
  table: string,
  kind: IssuerFact['kind'],
): FactTable<IssuerFact> {
  return {
    table,
    history: false,
    toRow: f => ({
      ready: f.ready ?? null,
      ready_reason: f.readyReason ?? null,
      ready_message: f.readyMessage ?? null,
    }),
    fromRow: r => ({
      ...identity(r),
      kind,
      ready: optional(r.ready as IssuerFact['ready'] | null),
      readyReason: optional(r.ready_reason as string | null),
      readyMessage: optional(r.ready_message as string | null),
    }),
  };
}

// Two tables, not one with a kind column: each source replaces all the rows of its table.
const issuers = issuerTable('resilience_issuers', 'Issuer');
const clusterIssuers = issuerTable(
  'resilience_cluster_issuers',
  'ClusterIssuer',
);

/** A chain as stored: JSON, with each validity bound as an ISO 8601 string. */
function chainFromJson(text: string): X509Fact[] {
  return (JSON.parse(text) as Array<Record<string, unknown>>).map(c => {
    const fact = { ...c } as unknown as X509Fact;
    fact.notBefore = toDate(c.notBefore)!;
    fact.notAfter = toDate(c.notAfter)!;
    return fact;
  });
}

/** TLS Secrets: the parsed chain of `tls.crt` and nothing else of the Secret's data. */
const tlsSecrets: FactTable<TlsSecretFact> = {
  table: 'resilience_tls_secrets',
  history: true,
  toRow: f => ({
    labels: JSON.stringify(f.labels),
    kubernetes_id: f.labels[LABEL_KUBERNETES_ID] ?? null,
    certificate_name: f.certificateName ?? null,
    issuer_name: f.issuerName ?? null,
    issuer_kind: f.issuerKind ?? null,
    chain: JSON.stringify(f.chain),
    parse_error: f.parseError ?? null,
  }),
  fromRow: r => ({
    ...identity(r),
    labels: JSON.parse(r.labels as string),
    certificateName: optional(r.certificate_name as string | null),
    issuerName: optional(r.issuer_name as string | null),
    issuerKind: optional(r.issuer_kind as string | null),
    chain: chainFromJson(r.chain as string),
    parseError: optional(r.parse_error as string | null),
  }),
};

const ingresses: FactTable<IngressFact> = {
  table: 'resilience_ingresses',
  history: false,
  toRow: f => ({
    labels: JSON.stringify(f.labels),
    kubernetes_id: f.labels[LABEL_KUBERNETES_ID] ?? null,
    tls: JSON.stringify(f.tls),
  }),
  fromRow: r => ({
    ...identity(r),
    labels: JSON.parse(r.labels as string),
    tls: JSON.parse(r.tls as string),
  }),
};

const tables: { [S in CollectionSource]: FactTable<FactsBySource[S]> } = {
  'velero-backups': backups,
  'velero-schedules': schedules,
  'persistent-volume-claims': pvcs,
  'persistent-volumes': pvs,
  'volume-snapshot-contents': snapshotContents,
  'data-uploads': dataUploads,
  'backup-storage-locations': storageLocations,
  pods,
  namespaces,
  'pod-volume-backups': podVolumeBackups,
  'volume-snapshots': volumeSnapshots,
  'velero-restores': restores,
  certificates,
  'certificate-requests': certificateRequests,
  issuers,
  'cluster-issuers': clusterIssuers,
  'tls-secrets': tlsSecrets,
  ingresses,
};

const INCLUSION_TABLE = 'resilience_backup_inclusion';
/** The first key of the advisory lock a cluster's inclusion is refreshed under (PostgreSQL). */
const INCLUSION_LOCK = 730_721;

function inclusionOfRow(r: Row): BackupInclusion {
  return {
    selectionKey: r.selection_key as string,
    namespace: r.namespace as string,
    name: r.name as string,
    throughPod: optional(r.through_pod as string | null),
  };
}

/**
 * Gives input scopes new versions, in the caller's transaction: the stored results evaluated
 * from the old ones are then evaluated again before they are served.
 */
async function changeVersions(db: Knex, scopes: string[], at: Date) {
  for (const part of chunks([...new Set(scopes)].sort())) {
    await db('resilience_input_versions')
      .insert(
        part.map(scope => ({ scope, version: randomUUID(), changed_at: at })),
      )
      .onConflict('scope')
      .merge(['version', 'changed_at']);
  }
}

const PARTS_TABLE = 'resilience_fact_partitions';
/** The first key of the advisory lock a listing is stored under (PostgreSQL). */
const LISTING_LOCK = 730_722;

/**
 * Stores the digests of the parts of a new listing of a source (see `factPartitions`) and
 * returns the input scopes whose facts differ from the listing before: the namespaces, the
 * kubernetes-id values, and the cluster's shared facts. A backup's or a schedule's part (its
 * selection) and a backup evidence's (its backup) are the namespaces of the claims that
 * selection includes as stored; a selection that includes claims it did not before changes
 * their namespaces' versions when the inclusion is refreshed.
 */
async function changedScopes<S extends CollectionSource>(
  trx: Knex.Transaction,
  options: {
    cluster: string;
    source: S;
    facts: FactsBySource[S][];
    /** Whether the listing before stored facts. */
    hadFacts: boolean;
  },
): Promise<string[]> {
  const { cluster, source } = options;
  const after = partitionDigests(source, options.facts);
  const before = new Map<string, string>(
    (
      await trx(PARTS_TABLE)
        .where({ cluster, source })
        .select('part_key', 'digest')
    ).map(r => [r.part_key as string, r.digest as string]),
  );
  const changed = changedPartitions(before, after);
  for (const part of chunks(changed.filter(p => !after.has(p)))) {
    await trx(PARTS_TABLE)
      .where({ cluster, source })
      .whereIn('part_key', part)
      .delete();
  }
  await storePartDigests(
    trx,
    { cluster, source },
    changed.filter(p => after.has(p)),
    key => after.get(key)!,
  );
  // Facts stored before their parts were kept: what differs from them cannot be told.
  return scopesOfParts(trx, {
    cluster,
    changed,
    known: before,
    unknownBefore: before.size === 0 && options.hadFacts,
  });
}

/** Stores the digest of each of a source's parts `keys`, replacing the one before. */
async function storePartDigests(
  trx: Knex.Transaction,
  of: { cluster: string; source: string },
  keys: Partition[],
  digestOf: (key: Partition) => string,
) {
  for (const part of chunks(keys)) {
    await trx(PARTS_TABLE)
      .insert(
        part.map(key => ({ ...of, part_key: key, digest: digestOf(key) })),
      )
      .onConflict(['cluster', 'source', 'part_key'])
      .merge(['digest']);
  }
}

/**
 * The input scopes of changed parts: the namespaces, the kubernetes-id values, and the
 * cluster's shared facts. A selection's part and a backup evidence's part are the namespaces of
 * the claims that selection includes as stored. Which claims a selection not `known` before
 * includes cannot be told until the inclusion is refreshed: that changes the shared scope.
 */
async function scopesOfParts(
  trx: Knex.Transaction,
  options: {
    cluster: string;
    changed: Partition[];
    known: { has(part: Partition): boolean };
    /** Whether what changed cannot be told (every mapped entity may read it). */
    unknownBefore: boolean;
  },
): Promise<string[]> {
  const { cluster, changed, known } = options;
  const parts = sortPartitions(changed);
  const shared =
    parts.shared ||
    options.unknownBefore ||
    changed.some(p => p.startsWith('selection:') && !known.has(p));
  const touched = new Set(parts.namespaces);
  for (const keys of chunks(parts.selectionKeys)) {
    const rows = await trx(INCLUSION_TABLE)
      .where({ cluster })
      .whereIn('selection_key', keys)
      .distinct('namespace');
    for (const row of rows) touched.add(row.namespace);
  }
  for (const names of chunks(parts.backupNames)) {
    const rows = await trx(`${INCLUSION_TABLE} as i`)
      .join(`${backups.table} as b`, join =>
        join
          .on('b.cluster', '=', 'i.cluster')
          .andOn('b.selection_key', '=', 'i.selection_key'),
      )
      .where('i.cluster', cluster)
      .whereIn('b.name', names)
      .distinct('i.namespace as namespace');
    for (const row of rows) touched.add(row.namespace);
  }
  return [
    ...(shared ? [clusterSharedScope(cluster)] : []),
    ...[...touched].map(namespace => namespaceScope(cluster, namespace)),
    ...parts.kubernetesIds.map(id => kubernetesIdScope(cluster, id)),
  ];
}

/**
 * A scheduled collection and a watch (or two replicas) may store a source at once: on PostgreSQL
 * one at a time, each comparing with what the one before stored (in the caller's transaction).
 */
async function lockSource(
  trx: Knex.Transaction,
  cluster: string,
  source: string,
) {
  if (trx.client.config.client === 'pg') {
    await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [
      LISTING_LOCK,
      `${cluster}/${source}`,
    ]);
  }
}

/** The row a fact of `source` is stored in, seen (and, if new, first seen) at `at`. */
function factRowOf<S extends CollectionSource>(
  cluster: string,
  source: S,
  at: Date,
) {
  const { history, toRow } = tables[source] as FactTable<FactsBySource[S]>;
  return (fact: FactsBySource[S]) => ({
    cluster,
    uid: fact.uid,
    namespace: fact.namespace,
    name: fact.name,
    first_seen_at: at,
    last_seen_at: at,
    ...(history ? { deleted_at: null } : {}),
    ...toRow(fact),
  });
}

/**
 * The digest of a listing's facts, in an order that does not depend on the API server's, and
 * of the columns they are stored in: equal when the listing stores the same rows as the one
 * before.
 */
function factsDigest(facts: Array<{ uid: string }>, columns: string[]): string {
  const hash = createHash('sha256');
  hash.update(columns.join(','));
  hash.update('\n');
  const sorted = [...facts].sort((a, b) =>
    a.uid < b.uid ? -1 : Number(a.uid > b.uid),
  );
  for (const fact of sorted) {
    hash.update(JSON.stringify(fact));
    hash.update('\n');
  }
  return hash.digest('hex');
}

/** The knex implementation of {@link ResilienceStore}, for SQLite and PostgreSQL. */
export class DatabaseResilienceStore implements ResilienceStore {
  private constructor(private readonly db: Knex) {}

  /** Connects and, unless the database service says to skip them, runs the migrations. */
  static async create(options: {
    database: DatabaseService;
  }): Promise<DatabaseResilienceStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseResilienceStore(client);
  }

  async replaceFacts<S extends CollectionSource>(options: {
    cluster: string;
    source: S;
    facts: FactsBySource[S][];
    collectedAt: Date;
  }): Promise<void> {
    const { cluster, source, facts, collectedAt } = options;
    const { table, history } = tables[source] as FactTable<FactsBySource[S]>;
    const rowOf = factRowOf(cluster, source, collectedAt);
    const columns = facts.length > 0 ? Object.keys(rowOf(facts[0])) : [];
    const contentHash = factsDigest(facts, columns);
    await this.db.transaction(async trx => {
      await lockSource(trx, cluster, source);
      const before = await trx('resilience_collection_status')
        .where({ cluster, source })
        .first('state', 'content_hash', 'item_count');
      let scopes: string[] = [];
      if (before?.state === 'ok' && before.content_hash === contentHash) {
        // The same rows as the last listing stored, which are the live ones: only this method
        // writes them, and it stores the digest with them. Only when they were seen changes.
        const live = trx(table).where({ cluster });
        if (history) live.whereNull('deleted_at');
        await live.update({ last_seen_at: collectedAt });
      } else {
        const updated = columns.filter(column => column !== 'first_seen_at');
        for (let i = 0; i < facts.length; i += CHUNK_SIZE) {
          await trx(table)
            .insert(facts.slice(i, i + CHUNK_SIZE).map(rowOf))
            .onConflict(['cluster', 'uid'])
            .merge(updated);
        }
        const gone = trx(table)
          .where({ cluster })
          .where('last_seen_at', '<', collectedAt);
        if (history) {
          await gone
            .whereNull('deleted_at')
            .update({ deleted_at: collectedAt });
        } else {
          await gone.delete();
        }
        scopes = await changedScopes(trx, {
          cluster,
          source,
          facts,
          hadFacts:
            Boolean(before?.content_hash) && Number(before?.item_count) > 0,
        });
      }
      await trx('resilience_collection_status')
        .insert({
          cluster,
          source,
          state: 'ok',
          message: null,
          last_attempt_at: collectedAt,
          last_success_at: collectedAt,
          item_count: facts.length,
          content_hash: contentHash,
        })
        .onConflict(['cluster', 'source'])
        .merge();
      if (!before || before.state !== 'ok') {
        await changeVersions(
          trx,
          [clusterScope(cluster), clusterStatusScope(cluster), ...scopes],
          collectedAt,
        );
      } else if (before.content_hash !== contentHash) {
        await changeVersions(
          trx,
          [clusterScope(cluster), ...scopes],
          collectedAt,
        );
      }
    });
  }

  async applyFactChanges<S extends CollectionSource>(options: {
    cluster: string;
    source: S;
    upserted: FactsBySource[S][];
    removed: string[];
    changedAt: Date;
  }): Promise<FactChangesApplied> {
    const { cluster, source, changedAt } = options;
    const { table, history, toRow, fromRow } = tables[source] as FactTable<
      FactsBySource[S]
    >;
    // The last change of each object wins, and an object stored is not also removed.
    const upserted = new Map(options.upserted.map(f => [f.uid, f]));
    const removed = [...new Set(options.removed)].filter(
      uid => !upserted.has(uid),
    );
    const comparable = (fact: FactsBySource[S]) =>
      JSON.stringify([fact.namespace, fact.name, toRow(fact)]);
    return this.db.transaction(async trx => {
      await lockSource(trx, cluster, source);
      const status = await trx('resilience_collection_status')
        .where({ cluster, source })
        .first('state', 'item_count');
      if (status?.state !== 'ok') {
        return { applied: false, changed: 0, newSelections: false };
      }
      const live = new Map<string, FactsBySource[S]>();
      for (const part of chunks([...upserted.keys(), ...removed])) {
        const rows = await trx(table).where({ cluster }).whereIn('uid', part);
        for (const row of rows) {
          if (!history || row.deleted_at === null) {
            live.set(row.uid as string, fromRow(row));
          }
        }
      }
      // Only what differs from the stored facts changes a part: an object changed in what the
      // plugin does not keep (a status field it does not read) changes none.
      const stored = [...upserted.values()].filter(fact => {
        const before = live.get(fact.uid);
        return !before || comparable(before) !== comparable(fact);
      });
      const gone = removed.filter(uid => live.has(uid));
      if (stored.length === 0 && gone.length === 0) {
        return { applied: true, changed: 0, newSelections: false };
      }
      const parts = new Set<Partition>();
      for (const fact of stored) {
        for (const p of partitionsOf(source, fact)) parts.add(p);
      }
      for (const uid of [...stored.map(f => f.uid), ...gone]) {
        const before = live.get(uid);
        if (before) for (const p of partitionsOf(source, before)) parts.add(p);
      }
      const rowOf = factRowOf(cluster, source, changedAt);
      for (const part of chunks(stored)) {
        const rows = part.map(rowOf);
        await trx(table)
          .insert(rows)
          .onConflict(['cluster', 'uid'])
          .merge(Object.keys(rows[0]).filter(c => c !== 'first_seen_at'));
      }
      for (const part of chunks(gone)) {
        const rows = trx(table).where({ cluster }).whereIn('uid', part);
        if (history) await rows.update({ deleted_at: changedAt });
        else await rows.delete();
      }
      const changed = [...parts].sort();
      const known = new Set<Partition>();
      for (const part of chunks(changed)) {
        const rows = await trx(PARTS_TABLE)
          .where({ cluster, source })
          .whereIn('part_key', part)
          .select('part_key');
        for (const row of rows) known.add(row.part_key as string);
      }
      // The next listing compares with no digest it could give, and changes these parts again.
      await storePartDigests(
        trx,
        { cluster, source },
        changed,
        () => CHANGED_SINCE_LISTING,
      );
      const scopes = await scopesOfParts(trx, {
        cluster,
        changed,
        known,
        unknownBefore: false,
      });
      const newSelections = changed.some(
        p => p.startsWith('selection:') && !known.has(p),
      );
      if (newSelections) {
        // Which claims the new selection includes: the inclusion is behind until refreshed
        // (the collector does at once; a reader finding it behind does too).
        await trx('resilience_backup_inclusion_status')
          .where({ cluster })
          .update(
            source === 'velero-schedules'
              ? { schedules_at: null }
              : { backups_at: null },
          );
      }
      const added = stored.filter(f => !live.has(f.uid)).length;
      // No digest: the next listing is stored in full, whatever it lists.
      await trx('resilience_collection_status')
        .where({ cluster, source })
        .update({
          content_hash: null,
          item_count: Number(status.item_count ?? 0) + added - gone.length,
        });
      await changeVersions(trx, [clusterScope(cluster), ...scopes], changedAt);
      return {
        applied: true,
        changed: stored.length + gone.length,
        newSelections,
      };
    });
  }

  async recordFailure(options: {
    cluster: string;
    source: CollectionSource;
    state: 'not-installed' | 'forbidden' | 'error';
    message: string;
    attemptedAt: Date;
  }): Promise<void> {
    await this.db.transaction(async trx => {
      const before = await trx('resilience_collection_status')
        .where({ cluster: options.cluster, source: options.source })
        .first('state', 'message');
      await trx('resilience_collection_status')
        .insert({
          cluster: options.cluster,
          source: options.source,
          state: options.state,
          message: options.message,
          last_attempt_at: options.attemptedAt,
        })
        .onConflict(['cluster', 'source'])
        .merge(['state', 'message', 'last_attempt_at']);
      if (
        !before ||
        before.state !== options.state ||
        before.message !== options.message
      ) {
        await changeVersions(
          trx,
          [clusterScope(options.cluster), clusterStatusScope(options.cluster)],
          options.attemptedAt,
        );
      }
    });
  }

  async purgeDeletedFacts(options: {
    cluster: string;
    before: Date;
  }): Promise<number> {
    let removed = 0;
    for (const { table, history } of Object.values(tables)) {
      if (!history) {
        continue;
      }
      removed += await this.db(table)
        .where({ cluster: options.cluster })
        .whereNotNull('deleted_at')
        .where('deleted_at', '<', options.before)
        .delete();
    }
    if (removed > 0) {
      // Deleted backups are shown in timelines: every mapped entity reads them.
      await changeVersions(
        this.db,
        [clusterScope(options.cluster), clusterSharedScope(options.cluster)],
        new Date(),
      );
    }
    return removed;
  }

  async listPvs(options: {
    cluster: string;
    names: string[];
  }): Promise<PvFact[]> {
    const found: PvFact[] = [];
    for (const names of chunks([...new Set(options.names)])) {
      const rows = await this.db(pvs.table)
        .where({ cluster: options.cluster })
        .whereNull('deleted_at')
        .whereIn('name', names);
      found.push(...rows.map(pvs.fromRow));
    }
    return found;
  }

  async listSnapshotContents(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<VolumeSnapshotContentFact[]> {
    return this.listOfBackups(snapshotContents, options);
  }

  async listDataUploads(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<DataUploadFact[]> {
    return this.listOfBackups(dataUploads, options);
  }

  async listPodVolumeBackups(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<PodVolumeBackupFact[]> {
    return this.listOfBackups(podVolumeBackups, options);
  }

  async listVolumeSnapshots(options: {
    cluster: string;
    backupNames: string[];
  }): Promise<VolumeSnapshotFact[]> {
    return this.listOfBackups(volumeSnapshots, options);
  }

  async listPods(options: {
    cluster: string;
    namespaces: string[];
  }): Promise<PodFact[]> {
    const found: PodFact[] = [];
    for (const names of chunks([...new Set(options.namespaces)].sort())) {
      const rows = await this.db(pods.table)
        .where({ cluster: options.cluster })
        .whereIn('namespace', names)
        .orderBy(['namespace', 'name']);
      found.push(...rows.map(pods.fromRow));
    }
    return found;
  }

  async listNamespaces(options: { cluster: string }): Promise<NamespaceFact[]> {
    const rows = await this.db(namespaces.table)
      .where({ cluster: options.cluster })
      .orderBy('name');
    return rows.map(namespaces.fromRow);
  }

  async listRestores(options: { cluster: string }): Promise<RestoreFact[]> {
    const rows = await this.db(restores.table)
      .where({ cluster: options.cluster })
      .whereNull('deleted_at')
      .orderBy('name');
    return rows.map(restores.fromRow);
  }

  /** The live records of one cluster labelled with one of the named backups, by name. */
  private async listOfBackups<F>(
    facts: FactTable<F>,
    options: { cluster: string; backupNames: string[] },
  ): Promise<F[]> {
    const found: F[] = [];
    for (const names of chunks([...new Set(options.backupNames)])) {
      const rows = await this.db(facts.table)
        .where({ cluster: options.cluster })
        .whereNull('deleted_at')
        .whereIn('backup_name', names)
        .orderBy('name');
      found.push(...rows.map(facts.fromRow));
    }
    return found;
  }

  async listPvcs(options: {
    clusters: string[];
    kubernetesId?: string;
    namespace?: string;
  }): Promise<PvcFact[]> {
    if (options.clusters.length === 0) {
      return [];
    }
    const query = this.db(pvcs.table)
      .whereIn('cluster', options.clusters)
      .whereNull('deleted_at')
      .orderBy(['cluster', 'namespace', 'name']);
    if (options.kubernetesId !== undefined) {
      query.where('kubernetes_id', options.kubernetesId);
    }
    if (options.namespace !== undefined) {
      query.where('namespace', options.namespace);
    }
    return (await query).map(pvcs.fromRow);
  }

  async listBackupSelections(options: {
    cluster: string;
  }): Promise<StoredBackupSelection[]> {
    const found = new Map<string, StoredBackupSelection>();
    for (const table of [backups.table, schedules.table]) {
      const rows: Row[] = await this.db(table)
        .where({ cluster: options.cluster })
        .select('selection_key')
        .min({ selection: 'selection' })
        .groupBy('selection_key');
      for (const r of rows) {
        found.set(r.selection_key as string, {
          key: r.selection_key as string,
          selection: JSON.parse(r.selection as string),
        });
      }
    }
    return [...found.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
  }

  async replaceBackupInclusion(options: {
    cluster: string;
    rows: BackupInclusion[];
    inputs: BackupInclusionInputs;
    refreshedAt: Date;
  }): Promise<string[]> {
    const { cluster } = options;
    const rowKey = (r: BackupInclusion) =>
      JSON.stringify([r.selectionKey, r.namespace, r.name]);
    const claimOf = (r: BackupInclusion) => `${r.namespace}/${r.name}`;
    return this.db.transaction(async trx => {
      // A collection and the readers that find the inclusion behind it may refresh it at once:
      // on PostgreSQL one at a time per cluster, each reading what the one before stored, so
      // that only one reports the claims as changed. SQLite has one writer at a time already.
      if (trx.client.config.client === 'pg') {
        await trx.raw('select pg_advisory_xact_lock(?, hashtext(?))', [
          INCLUSION_LOCK,
          cluster,
        ]);
      }
      const stored = new Map<string, BackupInclusion>(
        (await trx(INCLUSION_TABLE).where({ cluster })).map(r => {
          const row = inclusionOfRow(r);
          return [rowKey(row), row];
        }),
      );
      const wanted = new Map(options.rows.map(r => [rowKey(r), r]));
      const removed = [...stored.entries()].filter(([key, row]) => {
        const now = wanted.get(key);
        return !now || now.throughPod !== row.throughPod;
      });
      const added = [...wanted.entries()].filter(([key, row]) => {
        const before = stored.get(key);
        return !before || before.throughPod !== row.throughPod;
      });
      for (const [, row] of removed) {
        await trx(INCLUSION_TABLE)
          .where({
            cluster,
            selection_key: row.selectionKey,
            namespace: row.namespace,
            name: row.name,
          })
          .delete();
      }
      for (const part of chunks(added.map(([, row]) => row))) {
        await trx(INCLUSION_TABLE)
          .insert(
            part.map(row => ({
              cluster,
              selection_key: row.selectionKey,
              namespace: row.namespace,
              name: row.name,
              through_pod: row.throughPod ?? null,
            })),
          )
          // Another replica computing the same rows at the same time.
          .onConflict(['cluster', 'selection_key', 'namespace', 'name'])
          .merge(['through_pod']);
      }
      await trx('resilience_backup_inclusion_status')
        .insert({
          cluster,
          backups_at: options.inputs.backupsAt ?? null,
          schedules_at: options.inputs.schedulesAt ?? null,
          claims_at: options.inputs.claimsAt ?? null,
          pods_at: options.inputs.podsAt ?? null,
          refreshed_at: options.refreshedAt,
        })
        .onConflict('cluster')
        .merge();
      const changed = [...removed, ...added].map(([, row]) => row);
      // The backups and schedules of a selection are read through the claims it includes.
      await changeVersions(
        trx,
        changed.map(row => namespaceScope(cluster, row.namespace)),
        options.refreshedAt,
      );
      return [...new Set(changed.map(claimOf))].sort();
    });
  }

  async getBackupInclusionInputs(options: {
    cluster: string;
  }): Promise<BackupInclusionInputs | undefined> {
    const row = await this.db('resilience_backup_inclusion_status')
      .where({ cluster: options.cluster })
      .first();
    return row
      ? {
          backupsAt: toDate(row.backups_at),
          schedulesAt: toDate(row.schedules_at),
          claimsAt: toDate(row.claims_at),
          podsAt: toDate(row.pods_at),
        }
      : undefined;
  }

  async listClaimInclusion(options: {
    cluster: string;
    claims: Array<{ namespace: string; name: string }>;
  }): Promise<BackupInclusion[]> {
    const found: BackupInclusion[] = [];
    for (const part of chunks(options.claims)) {
      const rows = await this.db(INCLUSION_TABLE)
        .where({ cluster: options.cluster })
        .whereIn(
          ['namespace', 'name'],
          part.map(c => [c.namespace, c.name]),
        )
        .orderBy(['namespace', 'name', 'selection_key']);
      found.push(...rows.map(inclusionOfRow));
    }
    return found;
  }

  async listBackups(options: {
    cluster: string;
    selectionKeys?: string[];
    completed?: boolean;
    limit: number;
    offset: number;
  }): Promise<StoredBackup[]> {
    const { cluster, completed, limit, offset } = options;
    const ofCluster = () => {
      const query = this.db(backups.table).where({ cluster });
      if (completed) {
        query
          .where({ phase: 'Completed' })
          .whereNull('deleted_at')
          .whereNotNull('completed_at');
      }
      return query;
    };
    let query: Knex.QueryBuilder;
    if (options.selectionKeys) {
      const keys = [...new Set(options.selectionKeys)].sort();
      if (keys.length === 0) {
        return [];
      }
      // One range read of the selection index per key, newest first and no further than the
      // page, merged: a single query over all keys would walk the cluster's whole history by
      // time and filter it, as SQLite's planner does.
      const members = keys.map((key, i) =>
        this.db.select('*').from(
          ofCluster()
            .where({ selection_key: key })
            .orderByRaw(NEWEST_BACKUPS_FIRST)
            .limit(offset + limit)
            .as(`of_key_${i}`),
        ),
      );
      query = this.db
        .select('*')
        .from(
          (members.length === 1
            ? members[0]
            : members[0].unionAll(members.slice(1))
          ).as('of_keys'),
        );
    } else {
      query = ofCluster();
    }
    const rows = await query
      .orderByRaw(NEWEST_BACKUPS_FIRST)
      .limit(limit)
      .offset(offset);
    return rows.map((r: Row) => ({
      ...backups.fromRow(r),
      selectionKey: r.selection_key as string,
      deletedAt: toDate(r.deleted_at),
    }));
  }

  async listSchedules(options: {
    clusters: string[];
    selectionKeys?: string[];
  }): Promise<ScheduleFact[]> {
    if (!options.selectionKeys) {
      return this.listLive(schedules, options.clusters);
    }
    const keys = [...new Set(options.selectionKeys)];
    if (options.clusters.length === 0 || keys.length === 0) {
      return [];
    }
    const rows = await this.db(schedules.table)
      .whereIn('cluster', options.clusters)
      .whereIn('selection_key', keys)
      .whereNull('deleted_at')
      .orderBy(['cluster', 'name']);
    return rows.map(schedules.fromRow);
  }

  async listStorageLocations(options: {
    clusters: string[];
  }): Promise<StorageLocationFact[]> {
    return this.listLive(storageLocations, options.clusters);
  }

  /** The facts of a table that still exist in the given clusters, by cluster and name. */
  private async listLive<F>(
    facts: FactTable<F>,
    clusters: string[],
  ): Promise<F[]> {
    if (clusters.length === 0) {
      return [];
    }
    const rows = await this.db(facts.table)
      .whereIn('cluster', clusters)
      .whereNull('deleted_at')
      .orderBy(['cluster', 'name']);
    return rows.map(facts.fromRow);
  }

  async listCertificates(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<CertificateFact[]> {
    return this.listInNamespaces(certificates, options);
  }

  async listCertificateRequests(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<CertificateRequestFact[]> {
    return this.listInNamespaces(certificateRequests, options);
  }

  async listIssuers(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<IssuerFact[]> {
    return [
      ...(await this.listInNamespaces(issuers, options)),
      ...(await this.listInNamespaces(clusterIssuers, {
        clusters: options.clusters,
      })),
    ];
  }

  async listTlsSecrets(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<TlsSecretFact[]> {
    return this.listInNamespaces(tlsSecrets, options);
  }

  async listCertificateNamespaces(options: {
    clusters: string[];
    kubernetesId: string;
  }): Promise<string[]> {
    if (options.clusters.length === 0) {
      return [];
    }
    const found = new Set<string>();
    for (const { table, history } of [certificates, tlsSecrets, ingresses]) {
      const query = this.db(table)
        .distinct('namespace')
        .where('kubernetes_id', options.kubernetesId)
        .whereIn('cluster', options.clusters);
      if (history) query.whereNull('deleted_at');
      for (const row of await query) found.add(row.namespace as string);
    }
    return [...found].sort();
  }

  async listIngresses(options: {
    clusters: string[];
    namespaces?: string[];
  }): Promise<IngressFact[]> {
    return this.listInNamespaces(ingresses, options);
  }

  /**
   * The facts of a table that still exist in the given clusters, in the given namespaces (every
   * namespace when absent), by cluster, namespace and name.
   */
  private async listInNamespaces<F>(
    facts: FactTable<F>,
    options: { clusters: string[]; namespaces?: string[] },
  ): Promise<F[]> {
    if (options.clusters.length === 0 || options.namespaces?.length === 0) {
      return [];
    }
    const found: F[] = [];
    const groups = options.namespaces
      ? chunks([...new Set(options.namespaces)].sort())
      : [undefined];
    for (const names of groups) {
      const query = this.db(facts.table)
        .whereIn('cluster', options.clusters)
        .orderBy(['cluster', 'namespace', 'name']);
      if (facts.history) {
        query.whereNull('deleted_at');
      }
      if (names) {
        query.whereIn('namespace', names);
      }
      found.push(...(await query).map(facts.fromRow));
    }
    return found;
  }

  async listCollectionStatus(options: {
    clusters: string[];
  }): Promise<StoredCollectionStatus[]> {
    if (options.clusters.length === 0) {
      return [];
    }
    const rows = await this.db('resilience_collection_status')
      .whereIn('cluster', options.clusters)
      .orderBy(['cluster', 'source']);
    return rows.map(r => ({
      cluster: r.cluster,
      source: r.source,
      state: r.state,
      message: optional(r.message),
      lastAttemptAt: toDate(r.last_attempt_at)!,
      lastSuccessAt: toDate(r.last_success_at),
      itemCount: r.item_count === null ? undefined : Number(r.item_count),
    }));
  }

  async createCertificateRenewal(
    renewal: StoredCertificateRenewal,
  ): Promise<void> {
    try {
      await this.db.transaction(async trx => {
        await trx('resilience_certificate_renewals').insert(
          renewalToRow(renewal),
        );
        await changeVersions(
          trx,
          [entityScope(renewal.entityRef)],
          renewal.requestedAt,
        );
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A renewal of Certificate ${renewal.namespace}/${renewal.name} in cluster ${renewal.cluster} is already in progress; wait for it to finish`,
        );
      }
      throw error;
    }
  }

  async getCertificateRenewal(
    id: string,
  ): Promise<StoredCertificateRenewal | undefined> {
    const row = await this.db('resilience_certificate_renewals')
      .where({ id })
      .first();
    return row ? renewalFromRow(row) : undefined;
  }

  async listCertificateRenewalsInProgress(): Promise<
    StoredCertificateRenewal[]
  > {
    const rows = await this.db('resilience_certificate_renewals')
      .where({ state: 'in-progress' })
      .orderBy('requested_at');
    return rows.map(renewalFromRow);
  }

  async listLatestCertificateRenewals(options: {
    certificates: Array<{ cluster: string; namespace: string; name: string }>;
  }): Promise<StoredCertificateRenewal[]> {
    const latest = new Map<string, StoredCertificateRenewal>();
    for (const chunk of chunks(options.certificates)) {
      const rows = await this.db('resilience_certificate_renewals')
        .where(q => {
          for (const c of chunk) {
            q.orWhere({
              cluster: c.cluster,
              namespace: c.namespace,
              name: c.name,
            });
          }
        })
        .orderBy('requested_at', 'desc');
      for (const renewal of rows.map(renewalFromRow)) {
        const key = `${renewal.cluster}/${renewal.namespace}/${renewal.name}`;
        if (!latest.has(key)) latest.set(key, renewal);
      }
    }
    return [...latest.values()];
  }

  async finishCertificateRenewal(options: {
    id: string;
    state: 'succeeded' | 'failed';
    message: string;
    finishedAt: Date;
    revision?: number;
    notAfter?: Date;
  }): Promise<boolean> {
    return this.db.transaction(async trx => {
      const updated = await trx('resilience_certificate_renewals')
        .where({ id: options.id, state: 'in-progress' })
        .update({
          state: options.state,
          message: options.message,
          finished_at: options.finishedAt,
          revision: options.revision ?? null,
          not_after: options.notAfter ?? null,
        });
      await this.renewalChanged(trx, options.id, options.finishedAt);
      return updated === 1;
    });
  }

  /** The entity a renewal was asked for on has a new input. */
  private async renewalChanged(trx: Knex, id: string, at: Date) {
    const row = await trx('resilience_certificate_renewals')
      .where({ id })
      .first('entity_ref');
    if (row) await changeVersions(trx, [entityScope(row.entity_ref)], at);
  }

  async updateCertificateRenewalMessage(options: {
    id: string;
    message: string;
  }): Promise<void> {
    await this.db.transaction(async trx => {
      const updated = await trx('resilience_certificate_renewals')
        .where({ id: options.id, state: 'in-progress' })
        .update({ message: options.message });
      if (updated > 0) await this.renewalChanged(trx, options.id, new Date());
    });
  }
  async ingestSastReports(options: {
    entityRef: string;
    runs: SastRunToIngest[];
    uploadedBy: string;
    uploadedAt: Date;
  }): Promise<StoredSastReport[]> {
    const seen = new Set<string>();
    for (const { run, branch } of options.runs) {
      const key = JSON.stringify([run.toolName, run.category, branch]);
      if (seen.has(key)) {
        throw new InputError(
          `The report has several runs of tool "${run.toolName}" with category "${run.category}" on branch "${branch}": each would replace the findings of the other; give each run its own automationDetails.id category, or upload them separately`,
        );
      }
      seen.add(key);
    }
    return this.db.transaction(async trx => {
      // Uploads of one tool, category and branch one after the other, until this one commits:
      // each decides from the latest scan stored whether it applies, and replaces the open
      // findings. Locks taken in one order, so that two uploads cannot wait on each other.
      // SQLite writes one transaction at a time anyway.
      if (trx.client.config.client === 'pg') {
        for (const key of [...seen].sort()) {
          await trx.raw('SELECT pg_advisory_xact_lock(hashtext(?))', [
            JSON.stringify([options.entityRef, key]),
          ]);
        }
      }
      const reports: StoredSastReport[] = [];
      for (const run of options.runs) {
        reports.push(
          await ingestSastRun(trx, {
            ...run,
            entityRef: options.entityRef,
            uploadedBy: options.uploadedBy,
            uploadedAt: options.uploadedAt,
          }),
        );
      }
      await changeVersions(
        trx,
        [entityScope(options.entityRef)],
        options.uploadedAt,
      );
      return reports;
    });
  }

  async listOpenSastFindings(options: {
    entityRef: string;
    branch?: string;
    severities?: FindingSeverity[];
  }): Promise<StoredSastFinding[]> {
    // An open finding was last seen in its stream's latest report (resilience_sast_streams).
    const query = this.db('resilience_sast_findings as f')
      .leftJoin('resilience_sast_streams as s', join =>
        join
          .on('s.entity_ref', 'f.entity_ref')
          .andOn('s.tool_name', 'f.tool_name')
          .andOn('s.category', 'f.category')
          .andOn('s.branch', 'f.branch'),
      )
      .where({ 'f.entity_ref': options.entityRef })
      .whereNull('f.fixed_at')
      .select(
        'f.*',
        's.last_report_id as stream_report_id',
        's.last_scanned_at as stream_scanned_at',
      );
    if (options.branch !== undefined) {
      query.where({ 'f.branch': options.branch });
    }
    if (options.severities) {
      query.whereIn('f.severity', options.severities);
    }
    return sortFindings(
      (await query).map(row =>
        findingFromRow({
          ...row,
          last_seen_at: row.stream_scanned_at ?? row.last_seen_at,
          last_report_id: row.stream_report_id ?? row.last_report_id,
        }),
      ),
    );
  }

  async listSastReports(options: {
    entityRef: string;
  }): Promise<StoredSastReport[]> {
    const rows = await this.db('resilience_sast_reports')
      .where({ entity_ref: options.entityRef })
      .orderBy([
        { column: 'scanned_at', order: 'desc' },
        { column: 'uploaded_at', order: 'desc' },
      ]);
    return rows.map(reportFromRow);
  }

  async listSastFindingSpans(options: {
    entityRef: string;
    branches?: string[];
    severities?: FindingSeverity[];
    openAtOrAfter?: Date;
  }): Promise<StoredSastFindingSpan[]> {
    const query = this.db('resilience_sast_finding_spans').where({
      entity_ref: options.entityRef,
    });
    if (options.branches) {
      query.whereIn('branch', options.branches);
    }
    if (options.severities) {
      query.whereIn('severity', options.severities);
    }
    const since = options.openAtOrAfter;
    if (since) {
      query.where(q =>
        q.whereNull('closed_at').orWhere('closed_at', '>', since),
      );
    }
    const rows = await query.orderBy([
      { column: 'opened_at', order: 'asc' },
      { column: 'id', order: 'asc' },
    ]);
    return rows.map(row => ({
      toolName: String(row.tool_name),
      category: String(row.category),
      branch: String(row.branch),
      fingerprint: String(row.fingerprint),
      ruleId: String(row.rule_id),
      severity: row.severity as FindingSeverity,
      openedAt: toDate(row.opened_at)!,
      closedAt: toDate(row.closed_at),
    }));
  }

  async firstSastScanAt(options: {
    entityRef: string;
    branches: string[];
  }): Promise<Date | undefined> {
    if (options.branches.length === 0) {
      return undefined;
    }
    const row = await this.db('resilience_sast_reports')
      .where({ entity_ref: options.entityRef, applied: true })
      .whereIn('branch', options.branches)
      .min({ first: 'scanned_at' })
      .first();
    return toDate(row?.first);
  }

  async saveEntityScores(scores: StoredEntityScore[]): Promise<void> {
    // One row per entity, and per entity and day: PostgreSQL refuses an upsert that would
    // touch a row twice. The latest computation wins.
    const latest = new Map<string, StoredEntityScore>();
    const daily = new Map<string, StoredEntityScore>();
    for (const score of scores) {
      const day = dayOf(score.computedAt);
      for (const [map, key] of [
        [latest, score.entityRef],
        [daily, JSON.stringify([score.entityRef, day])],
      ] as const) {
        const known = map.get(key);
        if (
          !known ||
          known.computedAt.getTime() <= score.computedAt.getTime()
        ) {
          map.set(key, score);
        }
      }
    }
    if (latest.size === 0) {
      return;
    }
    await this.db.transaction(async trx => {
      await summaries.lockSummaries(trx);
      // What the summaries count of these entities and days, before and after: only a change
      // writes them again.
      const refs = [...latest.keys()];
      const pointRefs = new Map<string, string[]>();
      for (const score of daily.values()) {
        const day = dayOf(score.computedAt);
        pointRefs.set(day, [...(pointRefs.get(day) ?? []), score.entityRef]);
      }
      const readPoints = async () =>
        new Map(
          await Promise.all(
            [...pointRefs].map(
              async ([day, dayRefs]) =>
                [
                  day,
                  await summaries.readSummaryKeys(trx, dayRefs, day),
                ] as const,
            ),
          ),
        );
      const scoredBefore = await summaries.readSummaryKeys(trx, refs);
      const pointsBefore = await readPoints();
      const rows = [...latest.values()].map(scoreToRow);
      for (let i = 0; i < rows.length; i += CHUNK_SIZE) {
        await trx('resilience_entity_scores')
          .insert(rows.slice(i, i + CHUNK_SIZE))
          .onConflict('entity_ref')
          .merge()
          // A computation saved late (another replica, a slow run) never replaces a newer one.
          .where(
            'resilience_entity_scores.computed_at',
            '<=',
            trx.ref('excluded.computed_at'),
          );
      }
      const points = [...daily.values()].map(score => ({
        ...scoreToRow(score),
        day: dayOf(score.computedAt),
      }));
      for (let i = 0; i < points.length; i += CHUNK_SIZE) {
        await trx('resilience_entity_score_history')
          .insert(points.slice(i, i + CHUNK_SIZE))
          .onConflict(['entity_ref', 'day'])
          .merge()
          .where(
            'resilience_entity_score_history.computed_at',
            '<=',
            trx.ref('excluded.computed_at'),
          );
      }
      const scoredAfter = await summaries.readSummaryKeys(trx, refs);
      const pointsAfter = await readPoints();
      const changedPoints = new Map<string, string[]>();
      for (const [day, dayRefs] of pointRefs) {
        const [before, after] = [pointsBefore.get(day)!, pointsAfter.get(day)!];
        const changed = dayRefs.filter(
          ref => before.get(ref) !== after.get(ref),
        );
        if (changed.length > 0) changedPoints.set(day, changed);
      }
      // Any column of a score may show on a scorecard's page (a pillar, when it was computed).
      await summaries.changeScorecardsVersion(trx, new Date());
      await summaries.refreshSummaries(trx, {
        scored: refs.filter(
          ref => scoredBefore.get(ref) !== scoredAfter.get(ref),
        ),
        points: changedPoints,
      });
    });
  }

  async listEntityScores(options: {
    entityRefs: string[];
  }): Promise<StoredEntityScore[]> {
    const found: StoredEntityScore[] = [];
    for (const refs of chunks([...new Set(options.entityRefs)].sort())) {
      const rows = await this.db('resilience_entity_scores')
        .whereIn('entity_ref', refs)
        .orderBy('entity_ref');
      found.push(
        ...rows.map(row => ({
          ...scoreFromRow(row),
          computedAt: toDate(row.computed_at)!,
        })),
      );
    }
    return found;
  }

  async listEntityScoreHistory(options: {
    entityRefs: string[];
    since: Date;
  }): Promise<StoredScorePoint[]> {
    const found: StoredScorePoint[] = [];
    for (const refs of chunks([...new Set(options.entityRefs)])) {
      const rows = await this.db('resilience_entity_score_history')
        .whereIn('entity_ref', refs)
        .where('day', '>=', dayOf(options.since));
      found.push(
        ...rows.map(row => ({
          ...scoreFromRow(row),
          date: String(row.day),
        })),
      );
    }
    // Sorted here, not in each query: the chunks would each be in order, not the whole.
    return found.sort(
      (a, b) =>
        a.date.localeCompare(b.date) || a.entityRef.localeCompare(b.entityRef),
    );
  }

  async replaceOwnershipMap(map: ownership.OwnershipMap, at: Date) {
    await ownership.replaceOwnershipMap(this.db, map, at);
  }

  async countMappedEntities(entityRefs: string[]) {
    return ownership.countMappedEntities(this.db, entityRefs);
  }

  async scorecardsVersion() {
    return summaries.scorecardsVersion(this.db);
  }

  async ownershipMapRefreshedAt() {
    return ownership.ownershipMapRefreshedAt(this.db);
  }

  async teamGroupRefs(groupKey: string) {
    return ownership.teamGroupRefs(this.db, groupKey);
  }

  async queryTeamScorecard(
    options: Parameters<typeof ownership.queryTeamScorecard>[1],
  ) {
    return ownership.queryTeamScorecard(this.db, options);
  }

  async queryOrganisationScorecard(
    options: Parameters<typeof ownership.queryOrganisationScorecard>[1],
  ) {
    return ownership.queryOrganisationScorecard(this.db, options);
  }

  async createRestoreTest(
    test: Parameters<ResilienceStore['createRestoreTest']>[0],
  ): Promise<void> {
    await restoreTests.createRestoreTest(this.db, test);
    await changeVersions(this.db, [entityScope(test.entityRef)], new Date());
  }

  async getRestoreTest(id: string) {
    return restoreTests.getRestoreTest(this.db, id);
  }

  async listRestoreTests(options: { entityRef: string; limit: number }) {
    return restoreTests.listRestoreTests(this.db, options);
  }

  async countRestoreTests(options: {
    cluster: string;
    states: RestoreTestState[];
  }) {
    return restoreTests.countRestoreTests(this.db, options);
  }

  async claimRestoreTests(
    options: Parameters<ResilienceStore['claimRestoreTests']>[0],
  ) {
    return restoreTests.claimRestoreTests(this.db, options);
  }

  async advanceRestoreTest(
    options: Parameters<ResilienceStore['advanceRestoreTest']>[0],
  ): Promise<void> {
    await restoreTests.advanceRestoreTest(this.db, options);
    const row = await this.db('resilience_restore_tests')
      .where({ id: options.id })
      .first('entity_ref');
    if (row) {
      await changeVersions(this.db, [entityScope(row.entity_ref)], options.now);
    }
  }

  async getInputVersions(scopes: string[]): Promise<Map<string, string>> {
    const versions = new Map<string, string>();
    for (const chunk of chunks([...new Set(scopes)])) {
      const rows = await this.db('resilience_input_versions')
        .whereIn('scope', chunk)
        .select('scope', 'version');
      for (const row of rows) versions.set(row.scope, row.version);
    }
    return versions;
  }

  async listKubernetesIdNamespaces(options: {
    clusters: string[];
    kubernetesIds: string[];
  }): Promise<
    Array<{ cluster: string; namespace: string; kubernetesId: string }>
  > {
    const found = new Map<
      string,
      { cluster: string; namespace: string; kubernetesId: string }
    >();
    if (options.clusters.length === 0) return [];
    for (const ids of chunks([...new Set(options.kubernetesIds)])) {
      for (const { table, history } of [
        pvcs,
        certificates,
        tlsSecrets,
        ingresses,
      ]) {
        const query = this.db(table)
          .whereIn('cluster', options.clusters)
          .whereIn('kubernetes_id', ids)
          .distinct('cluster', 'namespace', 'kubernetes_id');
        if (history) query.whereNull('deleted_at');
        for (const row of await query) {
          const item = {
            cluster: row.cluster as string,
            namespace: row.namespace as string,
            kubernetesId: row.kubernetes_id as string,
          };
          found.set(JSON.stringify(Object.values(item)), item);
        }
      }
    }
    return [...found.values()];
  }

  async getEntityResults(entityRefs: string[]): Promise<StoredEntityResult[]> {
    const found: StoredEntityResult[] = [];
    for (const chunk of chunks([...new Set(entityRefs)])) {
      const rows = await this.db('resilience_entity_results').whereIn(
        'entity_ref',
        chunk,
      );
      for (const row of rows) {
        found.push({
          entityRef: row.entity_ref,
          inputs: row.inputs,
          view: row.view,
          score: row.score,
          tier: row.tier,
          storable: Boolean(row.storable),
          computedAt: toDate(row.computed_at)!,
          nextFlipAt: toDate(row.next_flip_at),
          expiresAt: toDate(row.expires_at)!,
          dependencies: row.dependencies ? JSON.parse(row.dependencies) : [],
        });
      }
    }
    return found;
  }

  async listEntityResultsDue(options: {
    now: Date;
    limit: number;
  }): Promise<string[]> {
    const rows = await this.db('resilience_entity_results')
      .where('next_flip_at', '<=', options.now)
      .orderBy('next_flip_at')
      .limit(options.limit)
      .select('entity_ref');
    return rows.map(r => String(r.entity_ref));
  }

  async expireEntityResults(options: {
    entityRefs: string[];
    at: Date;
  }): Promise<void> {
    for (const chunk of chunks([...new Set(options.entityRefs)])) {
      await this.db('resilience_entity_results')
        .whereIn('entity_ref', chunk)
        .update({ next_flip_at: null, expires_at: options.at });
    }
  }

  async saveEntityResults(results: EvaluatedEntityResult[]): Promise<void> {
    // One row per entity (PostgreSQL refuses an upsert that touches a row twice): the latest.
    const latest = new Map<string, EvaluatedEntityResult>();
    for (const result of results) {
      const known = latest.get(result.entityRef);
      if (!known || known.computedAt <= result.computedAt) {
        latest.set(result.entityRef, result);
      }
    }
    const rows = [...latest.values()].map(r => ({
      entity_ref: r.entityRef,
      inputs: r.inputs,
      view: r.view,
      score: r.score,
      tier: r.tier,
      storable: r.storable,
      computed_at: r.computedAt,
      next_flip_at: r.nextFlipAt ?? null,
      expires_at: r.expiresAt,
      dependencies: JSON.stringify(r.dependencies),
    }));
    await this.db.transaction(async trx => {
      // Results hold whole views: a few per statement.
      for (let i = 0; i < rows.length; i += 20) {
        await trx('resilience_entity_results')
          .insert(rows.slice(i, i + 20))
          .onConflict('entity_ref')
          .merge()
          // An evaluation saved late (another replica, a slow run) never replaces a newer one.
          .where(
            'resilience_entity_results.computed_at',
            '<=',
            trx.ref('excluded.computed_at'),
          );
      }
      // The scopes of the results as now stored (a late one's were not).
      const saved = new Map(
        [...latest.values()].map(r => [r.entityRef, r] as const),
      );
      for (const refs of chunks([...saved.keys()])) {
        const stored = await trx('resilience_entity_results')
          .whereIn('entity_ref', refs)
          .select('entity_ref', 'computed_at');
        const current = stored
          .filter(
            row =>
              toDate(row.computed_at)!.getTime() ===
              saved.get(row.entity_ref as string)!.computedAt.getTime(),
          )
          .map(row => row.entity_ref as string);
        if (current.length === 0) continue;
        await trx('resilience_entity_result_scopes')
          .whereIn('entity_ref', current)
          .delete();
        const scopeRows = current.flatMap(ref =>
          [...new Set(saved.get(ref)!.scopes)].map(scope => ({
            scope,
            entity_ref: ref,
          })),
        );
        for (const part of chunks(scopeRows)) {
          await trx('resilience_entity_result_scopes').insert(part);
        }
      }
    });
  }

  async listEntitiesWithChangedInputs(options: {
    since: Date;
    after?: string;
    limit: number;
  }): Promise<string[]> {
    const query = this.db('resilience_entity_result_scopes as s')
      .join('resilience_input_versions as v', 'v.scope', 's.scope')
      .where('v.changed_at', '>=', options.since)
      .distinct('s.entity_ref')
      .orderBy('s.entity_ref')
      .limit(options.limit);
    if (options.after !== undefined)
      query.where('s.entity_ref', '>', options.after);
    return (await query).map(row => String(row.entity_ref));
  }

  async requestRestoreTestCancel(id: string) {
    return restoreTests.requestRestoreTestCancel(this.db, id);
  }

  async latestRestoreTestAt(entityRef: string) {
    return restoreTests.latestRestoreTestAt(this.db, entityRef);
  }

  async deleteEntityScores(options: { entityRefs: string[] }): Promise<void> {
    const entityRefs = [...new Set(options.entityRefs)];
    if (entityRefs.length === 0) return;
    await this.db.transaction(async trx => {
      await summaries.lockSummaries(trx);
      for (const refs of chunks(entityRefs)) {
        await trx('resilience_entity_scores')
          .whereIn('entity_ref', refs)
          .delete();
      }
      await summaries.refreshSummaries(trx, {
        scored: entityRefs,
        points: new Map(),
      });
      await summaries.changeScorecardsVersion(trx, new Date());
    });
  }
}

function scoreToRow(score: StoredEntityScore): Row {
  const row: Row = {
    entity_ref: score.entityRef,
    score: score.score,
    grade: score.grade,
    computed_at: score.computedAt,
  };
  for (const [pillar, column] of Object.entries(PILLAR_COLUMNS)) {
    row[column] = score.pillars[pillar as PillarId] ?? null;
  }
  return row;
}

function renewalToRow(renewal: StoredCertificateRenewal) {
  return {
    id: renewal.id,
    cluster: renewal.cluster,
    namespace: renewal.namespace,
    name: renewal.name,
    entity_ref: renewal.entityRef,
    requested_by: renewal.requestedBy,
    requested_at: renewal.requestedAt,
    state: renewal.state,
    previous_revision: renewal.previousRevision ?? null,
    revision: renewal.revision ?? null,
    not_after: renewal.notAfter ?? null,
    message: renewal.message,
    finished_at: renewal.finishedAt ?? null,
  };
}

function renewalFromRow(
  row: Record<string, unknown>,
): StoredCertificateRenewal {
  const number = (v: unknown) =>
    v === null || v === undefined ? undefined : Number(v);
  return {
    id: String(row.id),
    cluster: String(row.cluster),
    namespace: String(row.namespace),
    name: String(row.name),
    entityRef: String(row.entity_ref),
    requestedBy: String(row.requested_by),
    requestedAt: toDate(row.requested_at)!,
    state: row.state as StoredCertificateRenewal['state'],
    previousRevision: number(row.previous_revision),
    revision: number(row.revision),
    notAfter: toDate(row.not_after),
    message: String(row.message),
    finishedAt: toDate(row.finished_at),
  };
}

const SEVERITY_RANK: Record<FindingSeverity, number> = {
  critical: 0,
  high: 1,
  medium: 2,
  low: 3,
  none: 4,
};

const zeroCounts = (): Record<FindingSeverity, number> => ({
  critical: 0,
  high: 0,
  medium: 0,
  low: 0,
  none: 0,
});

/** Most severe first, then by where they are, so that lists read the same on every database. */
function sortFindings(findings: StoredSastFinding[]): StoredSastFinding[] {
  return findings.sort(
    (a, b) =>
      SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
      a.toolName.localeCompare(b.toolName) ||
      a.category.localeCompare(b.category) ||
      (a.path ?? '').localeCompare(b.path ?? '') ||
      (a.startLine ?? 0) - (b.startLine ?? 0) ||
      a.fingerprint.localeCompare(b.fingerprint),
  );
}

/**
 * One run of an upload, inside the upload's transaction: records the report and, unless a newer
 * scan of the same tool, category and branch is stored already, replaces the open findings.
 */
/** What a finding says, besides when it was seen and whether it is open. */
const FINDING_CONTENT = [
  'rule_id',
  'rule_name',
  'severity',
  'message',
  'path',
  'start_line',
  'start_column',
  'end_line',
  'suppression',
];

/** A stored value and a new one alike: numbers may come back from the database as strings. */
function sameValue(stored: unknown, value: unknown): boolean {
  if (stored === null || stored === undefined) return value === null;
  return typeof value === 'number'
    ? Number(stored) === value
    : stored === value;
}

async function ingestSastRun(
  trx: Knex.Transaction,
  options: SastRunToIngest & {
    entityRef: string;
    uploadedBy: string;
    uploadedAt: Date;
  },
): Promise<StoredSastReport> {
  const { run, branch, scannedAt } = options;
  const key = {
    entity_ref: options.entityRef,
    tool_name: run.toolName,
    category: run.category,
    branch,
  };
  // A tool may report one result twice (several code flows to one sink): one finding.
  const findings = new Map<string, NormalisedFinding>();
  for (const finding of run.findings) {
    if (!findings.has(finding.fingerprint)) {
      findings.set(finding.fingerprint, finding);
    }
  }
  const counts = zeroCounts();
  let suppressed = 0;
  for (const finding of findings.values()) {
    if (finding.suppression === 'accepted') {
      suppressed += 1;
    } else {
      counts[finding.severity] += 1;
    }
  }

  const latest = await trx('resilience_sast_reports')
    .where({ ...key, applied: true })
    .max({ scannedAt: 'scanned_at' })
    .first();
  const latestAt = toDate(latest?.scannedAt);
  const applied = !latestAt || latestAt.getTime() <= scannedAt.getTime();

  const report: StoredSastReport = {
    id: randomUUID(),
    entityRef: options.entityRef,
    toolName: run.toolName,
    toolVersion: run.toolVersion,
    category: run.category,
    branch,
    commit: options.commit,
    repositoryUri: run.repositoryUri,
    scannedAt,
    uploadedAt: options.uploadedAt,
    uploadedBy: options.uploadedBy,
    applied,
    counts,
    suppressed,
    opened: 0,
    fixed: 0,
  };

  if (applied) {
    // The latest report applied before this one: every finding open now was seen in it.
    const stream = await trx('resilience_sast_streams')
      .where(key)
      .first('last_report_id', 'last_scanned_at');
    const before = new Map<string, Row>();
    for (const row of await trx('resilience_sast_findings')
      .where(key)
      .select('id', 'fingerprint', ...FINDING_CONTENT, 'fixed_at')) {
      before.set(row.fingerprint, row);
    }
    // Only what changed is written: a finding new, changed, reopened, accepted or fixed. Those
    // still open as they were only move to this report, all in one statement.
    const written: Row[] = [];
    for (const finding of findings.values()) {
      const known = before.get(finding.fingerprint);
      const fixedBefore = toDate(known?.fixed_at);
      let fixedAt: Date | null = null;
      if (finding.suppression === 'accepted') {
        // Accepted: closed now, or still closed since it was fixed or accepted before.
        fixedAt = fixedBefore ?? scannedAt;
        if (known && !fixedBefore) report.fixed += 1;
      } else if (!known || fixedBefore) {
        report.opened += 1;
      }
      const content: Row = {
        rule_id: finding.ruleId,
        rule_name: finding.ruleName ?? null,
        severity: finding.severity,
        message: finding.message,
        path: finding.path ?? null,
        start_line: finding.startLine ?? null,
        start_column: finding.startColumn ?? null,
        end_line: finding.endLine ?? null,
        suppression: finding.suppression ?? null,
      };
      const continuing =
        known !== undefined &&
        fixedAt === null &&
        fixedBefore === undefined &&
        FINDING_CONTENT.every(c => sameValue(known[c], content[c]));
      if (!continuing) {
        written.push({
          ...key,
          fingerprint: finding.fingerprint,
          ...content,
          first_seen_at: scannedAt,
          last_seen_at: scannedAt,
          fixed_at: fixedAt,
          first_report_id: report.id,
          last_report_id: report.id,
        });
      }
    }
    // Open before and not in this report: fixed by the time of this scan.
    const vanished = [...before.values()]
      .filter(
        row => row.fixed_at === null && !findings.has(String(row.fingerprint)),
      )
      .map(row => Number(row.id));
    // By id: the planner of PostgreSQL, without statistics of rows just written, would scan the
    // key's rows for each fingerprint.
    // Last seen in the report before: the row holds the report that last wrote it.
    if (vanished.length > 0) {
      await trx('resilience_sast_findings')
        .where(inJsonList(trx, 'id', vanished))
        .update({
          fixed_at: scannedAt,
          ...(stream
            ? {
                last_seen_at: stream.last_scanned_at,
                last_report_id: stream.last_report_id,
              }
            : {}),
        });
    }
    report.fixed += vanished.length;
    // Every finding still open now is in this report: said once, for the stream, not per row.
    await trx('resilience_sast_streams')
      .insert({ ...key, last_report_id: report.id, last_scanned_at: scannedAt })
      .onConflict(Object.keys(key))
      .merge(['last_report_id', 'last_scanned_at']);
    for (let i = 0; i < written.length; i += CHUNK_SIZE) {
      const chunk = written.slice(i, i + CHUNK_SIZE);
      await trx('resilience_sast_findings')
        .insert(chunk)
        .onConflict([
          'entity_ref',
          'tool_name',
          'category',
          'branch',
          'fingerprint',
        ])
        .merge(
          Object.keys(chunk[0]).filter(
            column =>
              column !== 'first_seen_at' && column !== 'first_report_id',
          ),
        );
    }
    await recordOpenPeriods(trx, {
      key,
      open: [...findings.values()].filter(f => f.suppression !== 'accepted'),
      scannedAt,
    });
  }

  await trx('resilience_sast_reports').insert(reportToRow(report));
  return report;
}

/**
 * Makes the open periods of one tool, category and branch those of a new scan: a period whose
 * finding is no longer open, or now has another severity, is closed at the scan time; a finding
 * open without a period of its severity gets one from the scan time.
 */
async function recordOpenPeriods(
  trx: Knex.Transaction,
  options: {
    key: {
      entity_ref: string;
      tool_name: string;
      category: string;
      branch: string;
    };
    open: NormalisedFinding[];
    scannedAt: Date;
  },
) {
  const { key, scannedAt } = options;
  const open = new Map(options.open.map(f => [f.fingerprint, f]));
  const periods = await trx('resilience_sast_finding_spans')
    .where(key)
    .whereNull('closed_at')
    .select('id', 'fingerprint', 'severity');
  const continuing = new Set<string>();
  const ended: number[] = [];
  for (const period of periods) {
    const finding = open.get(period.fingerprint);
    if (finding && finding.severity === period.severity) {
      continuing.add(period.fingerprint);
    } else {
      ended.push(period.id);
    }
  }
  if (ended.length > 0) {
    await trx('resilience_sast_finding_spans')
      .where(inJsonList(trx, 'id', ended))
      .update({ closed_at: scannedAt });
  }
  const started = [...open.values()]
    .filter(f => !continuing.has(f.fingerprint))
    .map(f => ({
      ...key,
      fingerprint: f.fingerprint,
      rule_id: f.ruleId,
      severity: f.severity,
      opened_at: scannedAt,
      closed_at: null,
    }));
  for (let i = 0; i < started.length; i += CHUNK_SIZE) {
    await trx('resilience_sast_finding_spans').insert(
      started.slice(i, i + CHUNK_SIZE),
    );
  }
}

function reportToRow(report: StoredSastReport) {
  return {
    id: report.id,
    entity_ref: report.entityRef,
    tool_name: report.toolName,
    tool_version: report.toolVersion ?? null,
    category: report.category,
    branch: report.branch,
    commit: report.commit ?? null,
    repository_uri: report.repositoryUri ?? null,
    scanned_at: report.scannedAt,
    uploaded_at: report.uploadedAt,
    uploaded_by: report.uploadedBy,
    applied: report.applied,
    critical_count: report.counts.critical,
    high_count: report.counts.high,
    medium_count: report.counts.medium,
    low_count: report.counts.low,
    none_count: report.counts.none,
    suppressed_count: report.suppressed,
    opened_count: report.opened,
    fixed_count: report.fixed,
  };
}

function reportFromRow(row: Row): StoredSastReport {
  return {
    id: String(row.id),
    entityRef: String(row.entity_ref),
    toolName: String(row.tool_name),
    toolVersion: optional(row.tool_version as string | null),
    category: String(row.category),
    branch: String(row.branch),
    commit: optional(row.commit as string | null),
    repositoryUri: optional(row.repository_uri as string | null),
    scannedAt: toDate(row.scanned_at)!,
    uploadedAt: toDate(row.uploaded_at)!,
    uploadedBy: String(row.uploaded_by),
    applied: Boolean(row.applied),
    counts: {
      critical: Number(row.critical_count),
      high: Number(row.high_count),
      medium: Number(row.medium_count),
      low: Number(row.low_count),
      none: Number(row.none_count),
    },
    suppressed: Number(row.suppressed_count),
    opened: Number(row.opened_count),
    fixed: Number(row.fixed_count),
  };
}

function findingFromRow(row: Row): StoredSastFinding {
  const number = (v: unknown) =>
    v === null || v === undefined ? undefined : Number(v);
  return {
    entityRef: String(row.entity_ref),
    toolName: String(row.tool_name),
    category: String(row.category),
    branch: String(row.branch),
    fingerprint: String(row.fingerprint),
    ruleId: String(row.rule_id),
    ruleName: optional(row.rule_name as string | null),
    severity: row.severity as FindingSeverity,
    message: String(row.message),
    path: optional(row.path as string | null),
    startLine: number(row.start_line),
    startColumn: number(row.start_column),
    endLine: number(row.end_line),
    suppression: optional(
      row.suppression as StoredSastFinding['suppression'] | null,
    ),
    firstSeenAt: toDate(row.first_seen_at)!,
    lastSeenAt: toDate(row.last_seen_at)!,
    fixedAt: toDate(row.fixed_at),
    firstReportId: String(row.first_report_id),
    lastReportId: String(row.last_report_id),
  };
}
