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
 * Allows uploading SAST results (SARIF) for any catalog entity; meant for CI pipelines, which call
 * with a Backstage external access token, and for the platform team. A basic permission: the
 * entity is named by the upload itself, and the policy sees the caller (a user or a service
 * principal such as `external:ci`).
 *
 * @public
 */
export const resilienceSastUploadPermission = createPermission({
  name: 'resilience.sast.upload',
  attributes: { action: 'create' },
});

/**
 * Allows starting a restore test of an entity's backup, and cancelling one. A resource
 * permission on the catalog entity, so that a policy can allow its owners only.
 *
 * @public
 */
export const resilienceRestoreTestCreatePermission = createPermission({
  name: 'resilience.restore-test.create',
  attributes: { action: 'create' },
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
  resilienceSastUploadPermission,
  resilienceRestoreTestCreatePermission,
];
