import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BackupSummary,
  EntityResilienceResponse,
  PvcBackupStatus,
  SourceCollectionStatus,
} from '@resilience-for-backstage/plugin-resilience-common';
import { COLLECTION_SOURCES } from '../collectors/ClusterCollector';
import { ResilienceStore } from '../database/ResilienceStore';
import { BackupFact, PvcFact } from '../database/types';
import { selectionIncludesPvc } from '../mapping/backupCoverage';
import { kubernetesMappingOf, objectMatcher } from '../mapping/entityMapping';

/** Completed backups read per query while looking for the newest one that includes each PVC. */
const BACKUP_PAGE_SIZE = 200;

function summary(backup: BackupFact): BackupSummary {
  return {
    cluster: backup.cluster,
    namespace: backup.namespace,
    name: backup.name,
    phase: backup.phase,
    scheduleName: backup.scheduleName,
    startedAt: backup.startedAt?.toISOString(),
    completedAt: backup.completedAt?.toISOString(),
    expiresAt: backup.expiresAt?.toISOString(),
  };
}

/**
 * For every PVC, the newest `Completed` backup of its cluster that includes it. Backups are read
 * newest first, a page at a time, and reading stops as soon as every PVC has one.
 */
async function lastCompletedBackups(options: {
  store: ResilienceStore;
  pvcs: PvcFact[];
}): Promise<Map<PvcFact, BackupFact>> {
  const found = new Map<PvcFact, BackupFact>();
  const clusters = [...new Set(options.pvcs.map(p => p.cluster))];
  for (const cluster of clusters) {
    let waiting = options.pvcs.filter(p => p.cluster === cluster);
    for (let offset = 0; waiting.length > 0; offset += BACKUP_PAGE_SIZE) {
      const page = await options.store.listCompletedBackups({
        cluster,
        limit: BACKUP_PAGE_SIZE,
        offset,
      });
      for (const backup of page) {
        waiting = waiting.filter(pvc => {
          if (selectionIncludesPvc(backup.selection, pvc)) {
            found.set(pvc, backup);
            return false;
          }
          return true;
        });
      }
      if (page.length < BACKUP_PAGE_SIZE) {
        break;
      }
    }
  }
  return found;
}

/** The collection status of every configured cluster and source, `pending` where none is stored. */
export async function collectionStatus(options: {
  store: ResilienceStore;
  clusters: string[];
}): Promise<SourceCollectionStatus[]> {
  const stored = await options.store.listCollectionStatus({
    clusters: options.clusters,
  });
  return options.clusters.flatMap(cluster =>
    COLLECTION_SOURCES.map(source => {
      const status = stored.find(
        s => s.cluster === cluster && s.source === source,
      );
      if (!status) {
        return { cluster, source, state: 'pending', stale: false };
      }
      return {
        cluster,
        source,
        state: status.state,
        message: status.message,
        lastAttemptAt: status.lastAttemptAt.toISOString(),
        lastSuccessAt: status.lastSuccessAt?.toISOString(),
        itemCount: status.itemCount,
        // Facts from an earlier success are still served after a failure: say they may be old.
        stale: status.state !== 'ok' && status.lastSuccessAt !== undefined,
      };
    }),
  );
}

/**
 * What the Resilience tab shows for one entity, computed from stored facts only: no cluster is
 * called while a person waits.
 */
export async function entityResilience(options: {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
  now: Date;
}): Promise<EntityResilienceResponse> {
  const { entity, store, clusters, now } = options;
  const mapping = kubernetesMappingOf(entity);
  let pvcs: PvcFact[] = [];
  if (mapping) {
    const matches = objectMatcher(mapping);
    const candidates = await store.listPvcs({
      clusters,
      // A label selector cannot be pushed down to the database; the id label can.
      kubernetesId: mapping.labelSelector ? undefined : mapping.kubernetesId,
      namespace: mapping.namespace,
    });
    pvcs = candidates.filter(matches);
  }
  const backups = await lastCompletedBackups({ store, pvcs });
  const rows: PvcBackupStatus[] = pvcs.map(pvc => {
    const backup = backups.get(pvc);
    return {
      cluster: pvc.cluster,
      namespace: pvc.namespace,
      name: pvc.name,
      phase: pvc.phase,
      storageClassName: pvc.storageClassName,
      capacity: pvc.capacity,
      lastCompletedBackup: backup ? summary(backup) : null,
      lastCompletedBackupAgeSeconds: backup?.completedAt
        ? Math.max(
            0,
            Math.floor((now.getTime() - backup.completedAt.getTime()) / 1000),
          )
        : null,
    };
  });
  return {
    entityRef: stringifyEntityRef(entity),
    kubernetes: mapping,
    generatedAt: now.toISOString(),
    pvcs: rows,
    collection: await collectionStatus({ store, clusters }),
  };
}
