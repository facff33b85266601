import { createPermission } from '@backstage/plugin-permission-common';
import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';

/**
 * Allows starting the collection of a cluster now instead of waiting for its schedule; meant for
 * the platform team.
 *
 * @public
 */
export const resilienceCollectionRunPermission = createPermission({
  name: 'resilience.collection.run',
  attributes: { action: 'update' },
});

/**
 * Allows renewing a certificate now, the way `cmctl renew` does. A resource permission on the
 * catalog entity the certificate belongs to, so that a policy can allow its owners only.
 *
 * @public
 */
export const resilienceCertificateRenewPermission = createPermission({
  name: 'resilience.certificate.renew',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Every permission of the Resilience plugin.
 *
 * @public
 */
export const resiliencePermissions = [
  resilienceCollectionRunPermission,
  resilienceCertificateRenewPermission,
];
