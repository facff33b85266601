/**
 * The Resilience frontend plugin for Backstage: the Resilience tab of entity pages, the
 * scorecard card, the team scorecard of Group pages and the organisation's page.
 *
 * @packageDocumentation
 */

export {
  resiliencePlugin,
  EntityResilienceContent,
  EntityIncidentCard,
  EntityResilienceScorecardCard,
  EntityTeamResilienceContent,
  ResiliencePage,
} from './plugin';
export { isResilienceAvailable } from './conditions';
export { resilienceApiRef, ResilienceClient } from './api';
export type {
  EntitySastOptions,
  EntityScoreOptions,
  OrganisationScorecardOptions,
  ResilienceApi,
  ScorecardSort,
  TeamScorecardQuery,
} from './api';
