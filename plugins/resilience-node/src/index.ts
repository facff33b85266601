/**
 * Extension points for modules of the Resilience backend plugin.
 *
 * @packageDocumentation
 */

export * from './checks';
