import { Entity } from '@backstage/catalog-model';
import { KubernetesMapping } from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceStore } from '../database/ResilienceStore';
import { BackupSelection, PodFact, PvcFact } from '../database/types';
import { pvcInclusion } from '../mapping/backupCoverage';
import { kubernetesMappingOf, objectMatcher } from '../mapping/entityMapping';

/** The claims of an entity, the pods beside them, and which backups include them. */
export interface EntityClaims {
  /** Null when the entity has no Kubernetes annotations. */
  mapping: KubernetesMapping | null;
  pvcs: PvcFact[];
  /** The pods of the claim's namespace. */
  podsOf: (pvc: PvcFact) => PodFact[];
  /** Whether a backup (or a schedule's template) includes a claim, by its labels or its pods. */
  includes: (selection: BackupSelection, pvc: PvcFact) => boolean;
}

/**
 * The entity's persistent volume claims in the configured clusters, as its mapping selects
 * them, with the pods of their namespaces read once: pods decide which claims a label-selected
 * backup or schedule brings in.
 */
export async function entityClaims(options: {
  entity: Entity;
  store: ResilienceStore;
  clusters: string[];
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
  for (const cluster of new Set(pvcs.map(p => p.cluster))) {
    pods.push(
      ...(await store.listPods({
        cluster,
        namespaces: pvcs
          .filter(p => p.cluster === cluster)
          .map(p => p.namespace),
      })),
    );
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
  };
}
