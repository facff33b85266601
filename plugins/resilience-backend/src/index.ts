/**
 * The Resilience backend plugin for Backstage.
 *
 * @packageDocumentation
 */

export { resiliencePlugin as default } from './plugin';
