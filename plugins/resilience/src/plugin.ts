import {
  createApiFactory,
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
