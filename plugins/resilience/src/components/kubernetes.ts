import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
} from '@resilience-for-backstage/plugin-resilience-common';

/** The annotations that name an entity's Kubernetes objects; either one is enough. */
export const KUBERNETES_ANNOTATIONS = [
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
];

/**
 * Whether the entity names its Kubernetes objects by one of {@link KUBERNETES_ANNOTATIONS}:
 * without, nothing of it is collected, and the views ask for the annotation instead.
 */
export function isMappedToKubernetes(entity: Entity): boolean {
  const annotations = entity.metadata.annotations ?? {};
  return KUBERNETES_ANNOTATIONS.some(name => Boolean(annotations[name]));
}
