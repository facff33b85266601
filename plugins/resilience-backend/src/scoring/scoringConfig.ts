import { Config } from '@backstage/config';
import {
  DEFAULT_GRADE_BOUNDS,
  GradeBounds,
  PILLARS,
  PillarId,
} from '@resilience-for-backstage/plugin-resilience-common';

/** `resilience.scoring`, read once at start-up. */
export interface ScoringConfig {
  /** The weight of each pillar in the entity score. */
  weights: Record<PillarId, number>;
  gradeBounds: GradeBounds;
}

/** The config key of a pillar's weight: `codeSecurity` for `code-security`. */
export const weightKey = (pillar: PillarId) =>
  pillar.replace(/-(\w)/g, (_, c: string) => c.toUpperCase());

/**
 * Reads `resilience.scoring`: `weights.{backups, recovery, certificates, codeSecurity}` (1 each
 * by default; 0 leaves a pillar out of the entity score) and `grades.{A, B, C, D, E}` (the lowest
 * score of each grade; 90, 80, 70, 60 and 50 by default; below E is F).
 *
 * @throws Error naming the key that is wrong.
 */
export function readScoringConfig(config: Config): ScoringConfig {
  const scoring = config.getOptionalConfig('resilience.scoring');
  const weights = {} as Record<PillarId, number>;
  for (const { id } of PILLARS) {
    const key = `weights.${weightKey(id)}`;
    const weight = scoring?.getOptionalNumber(key) ?? 1;
    if (!Number.isFinite(weight) || weight < 0 || weight > 100) {
      throw new Error(
        `resilience.scoring.${key} must be a number from 0 to 100 (0 leaves the pillar out of the entity score), not ${weight}`,
      );
    }
    weights[id] = weight;
  }
  if (Object.values(weights).every(w => w === 0)) {
    throw new Error(
      'resilience.scoring.weights: at least one pillar needs a weight above 0, or no entity can have a score',
    );
  }
  const gradeBounds = { ...DEFAULT_GRADE_BOUNDS };
  let previous = 101;
  for (const grade of Object.keys(DEFAULT_GRADE_BOUNDS) as Array<
    keyof GradeBounds
  >) {
    const key = `grades.${grade}`;
    const bound =
      scoring?.getOptionalNumber(key) ?? DEFAULT_GRADE_BOUNDS[grade];
    if (!Number.isFinite(bound) || bound < 0 || bound > 100) {
      throw new Error(
        `resilience.scoring.${key} must be a score from 0 to 100, not ${bound}`,
      );
    }
    if (bound >= previous) {
      throw new Error(
        `resilience.scoring.${key} is ${bound}: each grade's lowest score must be below the one of the grade before it (A above B above C above D above E)`,
      );
    }
    gradeBounds[grade] = bound;
    previous = bound;
  }
  return { weights, gradeBounds };
}
