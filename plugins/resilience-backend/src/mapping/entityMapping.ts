import { Entity } from '@backstage/catalog-model';
import {
  ANNOTATION_KUBERNETES_ID,
  ANNOTATION_KUBERNETES_LABEL_SELECTOR,
  ANNOTATION_KUBERNETES_NAMESPACE,
  KubernetesMapping,
  LABEL_KUBERNETES_ID,
} from '@resilience-for-backstage/plugin-resilience-common';
import { InputError } from '@backstage/errors';
import { labelsMatch, parseLabelSelector } from './labelSelector';

/**
 * How an entity maps to Kubernetes objects, from its annotations; null when it has neither a
 * Kubernetes id nor a label selector.
 */
export function kubernetesMappingOf(entity: Entity): KubernetesMapping | null {
  const annotations = entity.metadata.annotations ?? {};
  const kubernetesId =
    annotations[ANNOTATION_KUBERNETES_ID]?.trim() || undefined;
  const labelSelector =
    annotations[ANNOTATION_KUBERNETES_LABEL_SELECTOR]?.trim() || undefined;
  if (!kubernetesId && !labelSelector) {
    return null;
  }
  const namespace =
    annotations[ANNOTATION_KUBERNETES_NAMESPACE]?.trim() || undefined;
  return { kubernetesId, labelSelector, namespace };
}

/**
 * A predicate for the objects of an entity. As in Backstage's Kubernetes plugin, the label
 * selector annotation takes precedence over the Kubernetes id when both are set.
 *
 * @throws InputError when the label selector annotation cannot be parsed.
 */
export function objectMatcher(
  mapping: KubernetesMapping,
): (object: { namespace: string; labels: Record<string, string> }) => boolean {
  if (
    mapping.labelSelector &&
    !parseLabelSelector(mapping.labelSelector).length
  ) {
    // An empty selector would select every object in every cluster.
    throw new InputError(
      `The ${ANNOTATION_KUBERNETES_LABEL_SELECTOR} annotation "${mapping.labelSelector}" selects everything; give at least one requirement`,
    );
  }
  const requirements = mapping.labelSelector
    ? parseLabelSelector(mapping.labelSelector)
    : [
        {
          key: LABEL_KUBERNETES_ID,
          operator: 'In' as const,
          values: [mapping.kubernetesId ?? ''],
        },
      ];
  return object =>
    (!mapping.namespace || object.namespace === mapping.namespace) &&
    labelsMatch(requirements, object.labels);
}
