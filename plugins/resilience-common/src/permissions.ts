import { createPermission } from '@backstage/plugin-permission-common';

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
 * Every permission of the Resilience plugin.
 *
 * @public
 */
export const resiliencePermissions = [resilienceCollectionRunPermission];
