/**
 * Annotation on a catalog entity whose value is the `backstage.io/kubernetes-id` label carried by
 * the entity's Kubernetes objects (the same annotation the Kubernetes plugin reads).
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_ID = 'backstage.io/kubernetes-id';

/**
 * Annotation on a catalog entity holding a Kubernetes label selector (for example
 * `app=payments,tier in (db)`) that selects the entity's Kubernetes objects.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_LABEL_SELECTOR =
  'backstage.io/kubernetes-label-selector';

/**
 * Annotation on a catalog entity that restricts the objects it owns to one Kubernetes namespace.
 *
 * @public
 */
export const ANNOTATION_KUBERNETES_NAMESPACE =
  'backstage.io/kubernetes-namespace';

/**
 * Label on Kubernetes objects that names the catalog entity they belong to, matched against the
 * entity's {@link ANNOTATION_KUBERNETES_ID} annotation.
 *
 * @public
 */
export const LABEL_KUBERNETES_ID = 'backstage.io/kubernetes-id';
