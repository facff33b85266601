export { resilienceApiRef } from './ResilienceApi';
export type {
  EntitySastOptions,
  EntityScoreOptions,
  OrganisationScorecardOptions,
  ResilienceApi,
  ScorecardSort,
  TeamScorecardQuery,
} from './ResilienceApi';
export { ResilienceClient } from './ResilienceClient';
