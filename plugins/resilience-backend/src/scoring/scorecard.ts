import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  BACKUP_CHECK_IDS,
  CERTIFICATE_CHECK_IDS,
  CheckResult,
  EntityScore,
  entityScore,
  PILLARS,
  PillarId,
  pillarScore,
  RECOVERY_CHECK_IDS,
  SAST_CHECK_IDS,
} from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceCheck } from '@resilience-for-backstage/plugin-resilience-node';
import { ScoringConfig } from './scoringConfig';

/** The ids of the checks this plugin has itself, in their pillars' order. */
export const BUILT_IN_CHECK_IDS: string[] = [
  ...BACKUP_CHECK_IDS,
  ...RECOVERY_CHECK_IDS,
  ...CERTIFICATE_CHECK_IDS,
  ...SAST_CHECK_IDS,
];

/**
 * The checks of every pillar, built in and added by modules: one registry, so that ids stay
 * unique and a tier can exclude any of them.
 */
export class CheckRegistry {
  readonly #added: ResilienceCheck[] = [];

  /** @throws Error when an id is already taken. */
  add(check: ResilienceCheck) {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(check.id)) {
      throw new Error(
        `A check added to the Resilience plugin has the id "${check.id}"; ids are lowercase letters, digits, dots and dashes, with a prefix of the module, for example "acme.runbook-linked"`,
      );
    }
    if (this.ids().includes(check.id)) {
      throw new Error(
        `Two checks of the Resilience plugin have the id "${check.id}"; each id must be unique`,
      );
    }
    if (!PILLARS.some(p => p.id === check.pillar)) {
      throw new Error(
        `The check "${check.id}" names the pillar "${
          check.pillar
        }"; the pillars are ${PILLARS.map(p => p.id).join(', ')}`,
      );
    }
    this.#added.push(check);
  }

  /** Every check id, built in first. */
  ids(): string[] {
    return [...BUILT_IN_CHECK_IDS, ...this.#added.map(c => c.id)];
  }

  added(): ResilienceCheck[] {
    return [...this.#added];
  }
}

/** Runs an added check, turning an error into `unknown` with its message. */
async function evaluate(
  check: ResilienceCheck,
  options: Parameters<ResilienceCheck['evaluate']>[0],
): Promise<CheckResult> {
  try {
    const outcome = await check.evaluate(options);
    return {
      ...outcome,
      evidence: outcome.evidence ?? [],
      id: check.id,
      title: check.title,
    };
  } catch (error) {
    return {
      id: check.id,
      title: check.title,
      state: 'unknown',
      message: `The check could not run: ${(error as Error).message}`,
      evidence: [],
    };
  }
}

/**
 * An entity's score from its built-in checks, by pillar, and those added by modules. A check the
 * entity's tier excludes is `not-applicable`, saying so, and does not count.
 */
export async function scoreEntity(options: {
  entity: Entity;
  checks: Record<PillarId, CheckResult[]>;
  tier: string;
  excludedChecks: string[];
  registry: CheckRegistry;
  scoring: ScoringConfig;
  now: Date;
}): Promise<EntityScore> {
  const { entity, tier, registry, scoring, now } = options;
  // Copies: the caller's lists are not the scorecard's to change.
  const byPillar = Object.fromEntries(
    PILLARS.map(({ id }) => [id, [...options.checks[id]]]),
  ) as Record<PillarId, CheckResult[]>;
  for (const check of registry.added()) {
    byPillar[check.pillar].push(await evaluate(check, { entity, tier, now }));
  }
  const excluded = (check: CheckResult): CheckResult =>
    options.excludedChecks.includes(check.id)
      ? {
          ...check,
          state: 'not-applicable',
          value: undefined,
          message: `Not part of the tier "${tier}" (resilience.policies.tiers.${tier}.checks.exclude).`,
        }
      : check;
  return entityScore({
    entityRef: stringifyEntityRef(entity),
    bounds: scoring.gradeBounds,
    pillars: PILLARS.map(({ id }) =>
      pillarScore({
        pillar: id,
        checks: byPillar[id].map(excluded),
        weight: scoring.weights[id],
      }),
    ),
  });
}
