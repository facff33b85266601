import { SourceCollectionStatus } from '@resilience-for-backstage/plugin-resilience-common';
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
