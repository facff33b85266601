import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import { EntityResilienceResponse } from '@resilience-for-backstage/plugin-resilience-common';

/**
 * Reads what the Resilience backend knows about catalog entities.
 *
 * @public
 */
export interface ResilienceApi {
  /**
   * The entity's backup checks and policy, its volumes and their last good backups, its backups,
   * schedules and storage locations, and the collection status.
   */
  getEntityResilience(
    entityRef: CompoundEntityRef,
  ): Promise<EntityResilienceResponse>;
}

/**
 * The API reference of {@link ResilienceApi}.
 *
 * @public
 */
export const resilienceApiRef = createApiRef<ResilienceApi>({
  id: 'plugin.resilience.service',
});
