import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/frontend-plugin-api';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { resilienceApiRef, ResilienceClient } from './api';
import { isMappedToKubernetes } from './components/kubernetes';

/**
 * The Resilience API for the new frontend system.
 *
 * @alpha
 */
export const resilienceApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: resilienceApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ResilienceClient({ discoveryApi, fetchApi }),
    }),
});

/**
 * The Resilience tab, on entities that map to Kubernetes objects.
 *
 * @alpha
 */
export const resilienceEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'resilience',
    title: 'Resilience',
    filter: isMappedToKubernetes,
    loader: () =>
      import('./components/EntityResilienceContent').then(m => (
        <m.EntityResilienceContent />
      )),
  },
});

/**
 * The Resilience plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'resilience',
  extensions: [resilienceApi, resilienceEntityContent],
});
