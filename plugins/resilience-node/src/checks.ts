import { createExtensionPoint } from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import {
  CheckEvidence,
  CheckResult,
  PillarId,
} from '@resilience-for-backstage/plugin-resilience-common';

/**
 * What a check of another module says about one entity: everything of a {@link
 * @resilience-for-backstage/plugin-resilience-common#CheckResult} but its id and title.
 *
 * @public
 */
export type ResilienceCheckOutcome = Omit<
  CheckResult,
  'id' | 'title' | 'evidence'
> & {
  evidence?: CheckEvidence[];
};

/**
 * A check that another backend module adds to the scorecard of every entity.
 *
 * @public
 */
export interface ResilienceCheck {
  /**
   * Stable id, unique among all checks, with a prefix of the module, for example
   * `acme.runbook-linked`. It can be excluded per tier like the built-in ones
   * (`resilience.policies.tiers.<tier>.checks.exclude`).
   */
  id: string;
  /** The pillar whose score it counts in. */
  pillar: PillarId;
  /** Short title, for example `Runbook linked`. */
  title: string;
  /**
   * Checks one entity. A thrown error makes the check `unknown` with the error's message, never
   * a failure of the whole scorecard. Called when an entity page or a scorecard is computed:
   * read stored or cached facts, do not call slow systems while a person waits.
   */
  evaluate(options: {
    entity: Entity;
    /** The policy tier the entity is held to. */
    tier: string;
    now: Date;
  }): Promise<ResilienceCheckOutcome>;
}

/**
 * The extension point through which backend modules add checks to the Resilience scorecards.
 *
 * @public
 */
export interface ResilienceChecksExtensionPoint {
  /** Adds checks; an id already taken (built-in or added) fails the backend's start-up. */
  addChecks(...checks: ResilienceCheck[]): void;
}

/**
 * The extension point for checks, for `createBackendModule({ pluginId: 'resilience', ... })`.
 *
 * @public
 */
export const resilienceChecksExtensionPoint =
  createExtensionPoint<ResilienceChecksExtensionPoint>({
    id: 'resilience.checks',
  });
