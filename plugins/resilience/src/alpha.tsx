import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { resilienceApiRef, ResilienceClient } from './api';
import { isResilienceAvailable } from './conditions';

function isGroup(entity: Entity): boolean {
  return entity.kind.toLocaleLowerCase('en-US') === 'group';
}

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
 * The Resilience tab, on entities that map to Kubernetes objects; groups have their own.
 *
 * @alpha
 */
export const resilienceEntityContent = EntityContentBlueprint.make({
  params: {
    path: 'resilience',
    title: 'Resilience',
    // Disjoint from the team tab, which takes the same path on groups.
    filter: entity => isResilienceAvailable(entity) && !isGroup(entity),
    loader: () =>
      import('./components/EntityResilienceContent').then(m => (
        <m.EntityResilienceContent />
      )),
  },
});

/**
 * The scorecard card, on the Overview of entities that map to Kubernetes objects.
 *
 * @alpha
 */
export const resilienceEntityScorecardCard = EntityCardBlueprint.make({
  name: 'scorecard',
  params: {
    filter: isResilienceAvailable,
    loader: () =>
      import('./components/EntityResilienceScorecardCard').then(m => (
        <m.EntityResilienceScorecardCard />
      )),
  },
});

/**
 * The team's scorecard, as the Resilience tab of Group pages.
 *
 * @alpha
 */
export const resilienceTeamContent = EntityContentBlueprint.make({
  name: 'team',
  params: {
    path: 'resilience',
    title: 'Resilience',
    filter: isGroup,
    loader: () =>
      import('./components/EntityTeamResilienceContent').then(m => (
        <m.EntityTeamResilienceContent />
      )),
  },
});

/**
 * The organisation's page, at `/resilience`: every team ranked.
 *
 * @alpha
 */
export const resiliencePage = PageBlueprint.make({
  params: {
    path: '/resilience',
    title: 'Resilience',
    // The page draws its own header, with the subtitle.
    noHeader: true,
    loader: () =>
      import('./components/ResiliencePage').then(m => <m.ResiliencePage />),
  },
});

/**
 * The Resilience plugin for Backstage's new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'resilience',
  extensions: [
    resilienceApi,
    resilienceEntityContent,
    resilienceEntityScorecardCard,
    resilienceTeamContent,
    resiliencePage,
  ],
});
