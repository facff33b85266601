import { LoggerService } from '@backstage/backend-plugin-api';
import { CollectionSource } from '@resilience-for-backstage/plugin-resilience-common';
import { ClusterClient, KubernetesObject } from '../kubernetes/ClusterClient';
import { KubernetesRequestError } from '../kubernetes/errors';
import type { WatchedChange } from './ClusterWatcher';
import { ResilienceStore } from '../database/ResilienceStore';
import { FactsBySource } from '../database/types';
import {
  BACKUP_INCLUSION_SOURCES,
  refreshBackupInclusion,
} from '../service/backupInclusion';
import {
  backupFact,
  certificateFact,
  certificateRequestFact,
  dataUploadFact,
  ingressFact,
  issuerFact,
  namespaceFact,
  podFact,
  podVolumeBackupFact,
  pvcFact,
  pvFact,
  restoreFact,
  scheduleFact,
  storageLocationFact,
  tlsSecretFact,
  volumeSnapshotContentFact,
  volumeSnapshotFact,
} from './normalise';

type SourceReader = {
  [S in CollectionSource]: (options: {
    client: ClusterClient;
    veleroNamespace: string;
  }) => Promise<Array<FactsBySource[S] | undefined>>;
};

/** Lists a Velero resource in Velero's namespace and turns each object into a fact. */
function veleroReader<F>(
  plural: string,
  toFact: (cluster: string, object: KubernetesObject) => F | undefined,
) {
  return async (options: { client: ClusterClient; veleroNamespace: string }) =>
    (
      await options.client.listCustomObjects({
        group: 'velero.io',
        version: 'v1',
        plural,
        namespace: options.veleroNamespace,
      })
    ).map(o => toFact(options.client.name, o));
}

/** Lists a cert-manager resource (in every namespace when namespaced) as facts. */
function certManagerReader<F>(
  plural: string,
  toFact: (cluster: string, object: KubernetesObject) => F | undefined,
) {
  return async (options: { client: ClusterClient }) =>
    (
      await options.client.listCustomObjects({
        group: 'cert-manager.io',
        version: 'v1',
        plural,
      })
    ).map(o => toFact(options.client.name, o));
}

/**
 * How each source is read. Velero objects are listed in Velero's namespace only, so that the
 * service account needs no cluster-wide read of Velero's resources.
 */
const readers: SourceReader = {
  'velero-backups': veleroReader('backups', backupFact),
  'velero-schedules': veleroReader('schedules', scheduleFact),
  'persistent-volume-claims': async ({ client }) =>
    (await client.listPersistentVolumeClaims()).map(o =>
      pvcFact(client.name, o),
    ),
  'persistent-volumes': async ({ client }) =>
    (await client.listPersistentVolumes()).map(o => pvFact(client.name, o)),
  // Only the snapshot contents Velero made: they carry the backup's name.
  'volume-snapshot-contents': async ({ client }) =>
    (
      await client.listCustomObjects({
        group: 'snapshot.storage.k8s.io',
        version: 'v1',
        plural: 'volumesnapshotcontents',
        labelSelector: 'velero.io/backup-name',
      })
    ).map(o => volumeSnapshotContentFact(client.name, o)),
  'data-uploads': async ({ client, veleroNamespace }) =>
    (
      await client.listCustomObjects({
        group: 'velero.io',
        version: 'v2alpha1',
        plural: 'datauploads',
        namespace: veleroNamespace,
      })
    ).map(o => dataUploadFact(client.name, o)),
  'backup-storage-locations': veleroReader(
    'backupstoragelocations',
    storageLocationFact,
  ),
  pods: async ({ client }) =>
    (await client.listPods()).map(o => podFact(client.name, o)),
  namespaces: async ({ client }) =>
    (await client.listNamespaces()).map(o => namespaceFact(client.name, o)),
  'pod-volume-backups': veleroReader('podvolumebackups', podVolumeBackupFact),
  // Like the snapshot contents, only the snapshots Velero made.
  'volume-snapshots': async ({ client }) =>
    (
      await client.listCustomObjects({
        group: 'snapshot.storage.k8s.io',
        version: 'v1',
        plural: 'volumesnapshots',
        labelSelector: 'velero.io/backup-name',
      })
    ).map(o => volumeSnapshotFact(client.name, o)),
  'velero-restores': veleroReader('restores', restoreFact),
  certificates: certManagerReader('certificates', certificateFact),
  'certificate-requests': certManagerReader(
    'certificaterequests',
    certificateRequestFact,
  ),
  issuers: certManagerReader('issuers', (cluster, o) =>
    issuerFact(cluster, o, 'Issuer'),
  ),
  'cluster-issuers': certManagerReader('clusterissuers', (cluster, o) =>
    issuerFact(cluster, o, 'ClusterIssuer'),
  ),
  // Only Secrets of type kubernetes.io/tls, with nothing of their data but tls.crt.
  'tls-secrets': async ({ client }) =>
    (await client.listTlsSecrets()).map(o => tlsSecretFact(client.name, o)),
  ingresses: async ({ client }) =>
    (await client.listIngresses()).map(o => ingressFact(client.name, o)),
};

/** How an object of each watched source (`watchedResources`) becomes a fact, as its reader does. */
const factOfWatched: {
  [S in CollectionSource]?: (
    cluster: string,
    object: KubernetesObject,
  ) => FactsBySource[S] | undefined;
} = {
  'velero-backups': backupFact,
  'velero-schedules': scheduleFact,
  'velero-restores': restoreFact,
  'backup-storage-locations': storageLocationFact,
  'pod-volume-backups': podVolumeBackupFact,
  'data-uploads': dataUploadFact,
  'volume-snapshot-contents': volumeSnapshotContentFact,
  'volume-snapshots': volumeSnapshotFact,
  certificates: certificateFact,
};

/** Every source collected from each cluster, in collection order. */
export const COLLECTION_SOURCES = Object.keys(readers) as CollectionSource[];

/**
 * Collects every source of one cluster. A source that fails is recorded with its reason and the
 * others still run: a missing CRD or a forbidden resource must not hide what else is known.
 */
export class ClusterCollector {
  private constructor(
    private readonly options: {
      client: ClusterClient;
      veleroNamespace: string;
      store: ResilienceStore;
      logger: LoggerService;
      now: () => Date;
      historyRetentionMs: number;
    },
  ) {}

  static create(options: {
    client: ClusterClient;
    veleroNamespace: string;
    store: ResilienceStore;
    logger: LoggerService;
    now?: () => Date;
    /** How long facts stay after their object disappeared; a year when absent. */
    historyRetentionMs?: number;
  }): ClusterCollector {
    return new ClusterCollector({
      now: () => new Date(),
      historyRetentionMs: 365 * 24 * 3_600_000,
      ...options,
    });
  }

  /** Collects every source once. Never throws for a cluster or source failure. */
  async collect(): Promise<void> {
    for (const source of COLLECTION_SOURCES) {
      await this.collectSource(source);
    }
    await this.refreshInclusion();
    const { store, client, now, historyRetentionMs, logger } = this.options;
    const removed = await store.purgeDeletedFacts({
      cluster: client.name,
      before: new Date(now().getTime() - historyRetentionMs),
    });
    if (removed > 0) {
      logger.info(
        `Removed ${removed} facts of cluster ${client.name} that disappeared longer ago than the history retention`,
      );
    }
  }

  /**
   * Collects some sources now, outside the schedule: after a certificate renewal, its
   * certificates. Never throws for a cluster or source failure.
   */
  async collectSources(sources: CollectionSource[]): Promise<void> {
    for (const source of sources) {
      await this.collectSource(source);
    }
    const inputs: CollectionSource[] = Object.values(BACKUP_INCLUSION_SOURCES);
    if (sources.some(source => inputs.includes(source))) {
      await this.refreshInclusion();
    }
  }

  /**
   * Applies objects that a watch saw change to the stored facts, without listing their sources:
   * the watch's informer step. A source that cannot take them (not listed successfully yet, not
   * watched, or failing to store them) is listed instead. Never throws for a cluster or source
   * failure.
   */
  async applyChanges(changes: WatchedChange[]): Promise<void> {
    const { client, store, logger, now } = this.options;
    const bySource = new Map<CollectionSource, WatchedChange[]>();
    for (const change of changes) {
      bySource.set(change.source, [
        ...(bySource.get(change.source) ?? []),
        change,
      ]);
    }
    const relist: CollectionSource[] = [];
    let newSelections = false;
    for (const [source, sourceChanges] of bySource) {
      const toFact = factOfWatched[source];
      if (!toFact) {
        relist.push(source);
        continue;
      }
      const upserted: Array<FactsBySource[typeof source]> = [];
      const removed: string[] = [];
      for (const { type, object } of sourceChanges) {
        const uid = object.metadata?.uid;
        if (!uid) continue;
        // An object the normaliser cannot read is left out, as a listing leaves it out.
        const fact =
          type === 'DELETED' ? undefined : toFact(client.name, object);
        if (fact) upserted.push(fact);
        else removed.push(uid);
      }
      try {
        const applied = await store.applyFactChanges({
          cluster: client.name,
          source,
          upserted,
          removed,
          changedAt: now(),
        });
        if (!applied.applied) {
          relist.push(source);
          continue;
        }
        newSelections ||= applied.newSelections;
        logger.debug(
          `Applied ${sourceChanges.length} watched changes of ${source} in cluster ${client.name}: ${applied.changed} facts changed`,
        );
      } catch (error) {
        logger.warn(
          `Could not apply the watched changes of ${source} in cluster ${
            client.name
          }, listing it instead: ${(error as Error).message}`,
        );
        relist.push(source);
      }
    }
    if (relist.length > 0) await this.collectSources(relist);
    if (newSelections) await this.refreshInclusion();
  }

  /** Which claims each backup selection includes, from the backups, claims and pods just listed. */
  private async refreshInclusion() {
    const { store, client, now, logger } = this.options;
    try {
      const changed = await refreshBackupInclusion({
        store,
        cluster: client.name,
        now: now(),
      });
      logger.debug(
        `Backup inclusion of cluster ${client.name}: ${changed.length} claims changed`,
      );
    } catch (error) {
      // Readers refresh it themselves when it is behind the listings.
      logger.warn(
        `Could not store which claims the backups of cluster ${
          client.name
        } include: ${(error as Error).message}`,
      );
    }
  }

  private async collectSource<S extends CollectionSource>(source: S) {
    const { client, store, logger, veleroNamespace, now } = this.options;
    try {
      const read = readers[source] as SourceReader[S];
      const facts = (await read({ client, veleroNamespace })).filter(
        (f): f is FactsBySource[S] => f !== undefined,
      );
      await store.replaceFacts({
        cluster: client.name,
        source,
        facts,
        collectedAt: now(),
      });
      logger.debug(
        `Collected ${facts.length} ${source} from cluster ${client.name}`,
      );
    } catch (error) {
      const failure = KubernetesRequestError.from(
        error,
        `cluster ${client.name}`,
      );
      logger.warn(
        `Could not collect ${source} from cluster ${client.name}: ${failure.message}`,
      );
      await store.recordFailure({
        cluster: client.name,
        source,
        state: failure.state,
        message: failure.message,
        attemptedAt: now(),
      });
    }
  }
}
