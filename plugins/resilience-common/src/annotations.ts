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

/**
 * Annotation on a catalog entity naming its policy tier (one of `resilience.policies.tiers`).
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_TIER = 'resilience.io/tier';

/**
 * Annotation on a catalog entity overriding its tier's recovery point objective: a duration
 * such as `4h`, `30m`, `1d` or ISO 8601 `PT4H`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_RPO = 'resilience.io/rpo';

/**
 * Annotation on a catalog entity overriding how long its tier keeps each recovery point: a
 * duration such as `14d`, `720h` or ISO 8601 `P14D`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_RETENTION = 'resilience.io/retention';

/**
 * Annotation on a catalog entity overriding its tier's `certificates.expiryWarning`: how long
 * before `notAfter` `certificate.expiry` warns, a duration such as `30d`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_WARNING =
  'resilience.io/certificate-expiry-warning';

/**
 * Annotation on a catalog entity overriding its tier's `certificates.expiryFailure`: how long
 * before `notAfter` `certificate.expiry` fails, a duration such as `7d`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_FAILURE =
  'resilience.io/certificate-expiry-failure';

/**
 * Annotation on a catalog entity overriding its tier's `certificates.maxLifetime`: the longest
 * lifetime `certificate.lifetime` accepts, a duration such as `397d`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_CERTIFICATE_MAX_LIFETIME =
  'resilience.io/certificate-max-lifetime';

/**
 * Annotation on a catalog entity overriding its tier's `sast.highFindingSla`: how long a high
 * finding may stay open, a duration such as `14d`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_SAST_HIGH_FINDING_SLA =
  'resilience.io/sast-high-finding-sla';

/**
 * Annotation on a catalog entity overriding its tier's `sast.scanMaxAge`: the oldest the latest
 * scan of the default branch may be, a duration such as `1d`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_SAST_SCAN_MAX_AGE =
  'resilience.io/sast-scan-max-age';

/**
 * Annotation on a catalog entity naming the default branch of its repository: only SAST
 * reports of that branch count for its checks, backup marks and incident view. Without it, the
 * branches of `resilience.sast.defaultBranches` count.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_SAST_DEFAULT_BRANCH =
  'resilience.io/sast-default-branch';

/**
 * Annotation on a catalog entity setting its recovery time objective: the longest a restore of
 * its backup may take, compared with the RTO its restore tests measure; a duration such as
 * `30m` or `PT1H`. Overrides the tier's `recovery.rto`.
 *
 * @public
 */
export const ANNOTATION_RESILIENCE_RTO = 'resilience.io/rto';
