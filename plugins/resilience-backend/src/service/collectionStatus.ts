import {
  KubernetesMapping,
  SourceCollectionStatus,
} from '@resilience-for-backstage/plugin-resilience-common';
import { COLLECTION_SOURCES } from '../collectors/ClusterCollector';
import { ResilienceStore } from '../database/ResilienceStore';

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
 * The sources an entity's verdicts need that were never collected (`pending`): every source of
 * every configured cluster for an entity mapped to Kubernetes objects, none for one that is not.
 * While any is left, the entity's checks say `unknown` where they would otherwise pass or not
 * apply, and its score is not stored: a score from before the first collection would say that
 * nothing is wrong, in its history too.
 */
export function sourcesNeverCollected(options: {
  mapping: KubernetesMapping | null;
  collection: SourceCollectionStatus[];
}): SourceCollectionStatus[] {
  return options.mapping
    ? options.collection.filter(s => s.state === 'pending')
    : [];
}
