import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { resilienceApiRef, ResilienceClient } from './api';
import { rootRouteRef } from './routes';

/**
 * The Resilience frontend plugin.
 *
 * @public
 */
export const resiliencePlugin = createPlugin({
  id: 'resilience',
  apis: [
    createApiFactory({
      api: resilienceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ResilienceClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

/**
 * The Resilience tab of an entity page: the entity's backup checks and policy, every persistent
 * volume with its last good backup, the backup timeline, failures, schedules and storage
 * locations. Use it inside `EntityLayout.Route`.
 *
 * @public
 */
export const EntityResilienceContent = resiliencePlugin.provide(
  createRoutableExtension({
    name: 'EntityResilienceContent',
    component: () =>
      import('./components/EntityResilienceContent').then(
        m => m.EntityResilienceContent,
      ),
    mountPoint: rootRouteRef,
  }),
);

/**
 * A card for an entity page: what to do when the entity is compromised, the latest known-good
 * backup to restore to, the vulnerable backups since, the critical and high findings open now,
 * and the certificates whose keys to rotate. Use it inside an `EntityLayout.Route` or an
 * overview grid.
 *
 * @public
 */
export const EntityIncidentCard = resiliencePlugin.provide(
  createComponentExtension({
    name: 'EntityIncidentCard',
    component: {
      lazy: () =>
        import('./components/EntityIncidentCard').then(
          m => m.EntityIncidentCard,
        ),
    },
  }),
);
