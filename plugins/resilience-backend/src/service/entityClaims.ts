import { Entity } from '@backstage/catalog-model';
import { KubernetesMapping } from '@resilience-for-backstage/plugin-resilience-common';
import { BackupInclusion, ResilienceStore } from '../database/ResilienceStore';
import { BackupSelection, PodFact, PvcFact } from '../database/types';
import { pvcInclusion } from '../mapping/backupCoverage';
import { kubernetesMappingOf, objectMatcher } from '../mapping/entityMapping';
import { ensureBackupInclusion } from './backupInclusion';

/** The claims of an entity, the pods beside them, and which backups include them. */
export interface EntityClaims {
  /** Null when the entity has no Kubernetes annotations. */
  mapping: KubernetesMapping | null;
  pvcs: PvcFact[];
  /** The pods of the claim's namespace. */
  podsOf: (pvc: PvcFact) => PodFact[];
  /** Whether a schedule's template (or a backup) includes a claim, by its labels or its pods. */
  includes: (selection: BackupSelection, pvc: PvcFact) => boolean;
  /**
   * The stored backup selections that include a claim (see `backupInclusion`): the backups that
   * include it are those with one of these selections.
   */
  inclusionOf: (pvc: PvcFact) => BackupInclusion[];
}

/**
 * The entity's persistent volume claims in the configured clusters, as its mapping selects
 * them, with the pods of their namespaces read once (pods decide which claims a label-selected
 * schedule brings in) and the stored selections of the backups that include them.
 */
export async function entityClaims(options: {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
  now: Date;
}): Promise<EntityClaims> {
  const { entity, store, clusters } = options;
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
  const pods: PodFact[] = [];
  const inclusion = new Map<string, BackupInclusion[]>();
  const claimKey = (cluster: string, namespace: string, name: string) =>
    JSON.stringify([cluster, namespace, name]);
  const claimClusters = [...new Set(pvcs.map(p => p.cluster))];
  const status = claimClusters.length
    ? await store.listCollectionStatus({ clusters: claimClusters })
    : [];
  for (const cluster of claimClusters) {
    const claims = pvcs.filter(p => p.cluster === cluster);
    pods.push(
      ...(await store.listPods({
        cluster,
        namespaces: claims.map(p => p.namespace),
      })),
    );
    await ensureBackupInclusion({ store, cluster, status, now: options.now });
    for (const row of await store.listClaimInclusion({ cluster, claims })) {
      const key = claimKey(cluster, row.namespace, row.name);
      const list = inclusion.get(key);
      if (list) list.push(row);
      else inclusion.set(key, [row]);
    }
  }
  const podsOf = (pvc: PvcFact) =>
    pods.filter(
      p => p.cluster === pvc.cluster && p.namespace === pvc.namespace,
    );
  return {
    mapping,
    pvcs,
    podsOf,
    includes: (selection, pvc) =>
      pvcInclusion({ selection, claim: pvc, pods: podsOf(pvc) }) !== undefined,
    inclusionOf: pvc =>
      inclusion.get(claimKey(pvc.cluster, pvc.namespace, pvc.name)) ?? [],
  };
}
