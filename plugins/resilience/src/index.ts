/**
 * The Resilience frontend plugin for Backstage: the Resilience tab of entity pages.
 *
 * @packageDocumentation
 */

export {
  resiliencePlugin,
  EntityResilienceContent,
  EntityIncidentCard,
} from './plugin';
export { resilienceApiRef, ResilienceClient } from './api';
export type { EntitySastOptions, ResilienceApi } from './api';
