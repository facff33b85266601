import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { resilienceApiRef, ResilienceClient } from './api';
import { rootRouteRef, scorecardRouteRef } from './routes';

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
    scorecard: scorecardRouteRef,
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

/**
 * A card for an entity's Overview: its resilience grade, its score as a gauge, each pillar's
 * score, and the failing checks first, with a link to the Resilience tab. Put it inside
 * `EntitySwitch.Case if={isResilienceAvailable}`.
 *
 * @public
 */
export const EntityResilienceScorecardCard = resiliencePlugin.provide(
  createComponentExtension({
    name: 'EntityResilienceScorecardCard',
    component: {
      lazy: () =>
        import('./components/EntityResilienceScorecardCard').then(
          m => m.EntityResilienceScorecardCard,
        ),
    },
  }),
);

/**
 * The Resilience tab of a Group page: the grades, mean score and daily trend of every entity the
 * group owns, directly or through the groups below it, and the entities worst first, sorted,
 * filtered and paged on the server. Use it inside `EntityLayout.Route` of the group page.
 *
 * @public
 */
export const EntityTeamResilienceContent = resiliencePlugin.provide(
  createComponentExtension({
    name: 'EntityTeamResilienceContent',
    component: {
      lazy: () =>
        import('./components/EntityTeamResilienceContent').then(
          m => m.EntityTeamResilienceContent,
        ),
    },
  }),
);

/**
 * The organisation's resilience page: every team ranked by mean score with its grades, and the
 * organisation's grades, mean and daily trend. Route it at `/resilience`.
 *
 * @public
 */
export const ResiliencePage = resiliencePlugin.provide(
  createRoutableExtension({
    name: 'ResiliencePage',
    component: () =>
      import('./components/ResiliencePage').then(m => m.ResiliencePage),
    mountPoint: scorecardRouteRef,
  }),
);
