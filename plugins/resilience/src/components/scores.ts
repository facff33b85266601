import {
  CheckResult,
  EntityScoreResponse,
  Grade,
  GRADES,
  GradeDistribution,
  PillarId,
  PILLARS,
} from '@resilience-for-backstage/plugin-resilience-common';
import { Theme } from '@material-ui/core/styles';

/** The grades and `none`, in the order a distribution is shown: best first, no grade last. */
export const DISTRIBUTION_KEYS: Array<Grade | 'none'> = [...GRADES, 'none'];

/**
 * The theme's status colour of a grade: the two best are fine, the middle two need attention, the
 * two worst are failures; no grade is neither good nor bad, so it takes the neutral colour.
 */
export function gradeColor(theme: Theme, grade: Grade | null): string {
  const { status } = theme.palette;
  switch (grade) {
    case 'A':
    case 'B':
      return status.ok;
    case 'C':
    case 'D':
      return status.warning;
    case 'E':
    case 'F':
      return status.error;
    default:
      return status.aborted;
  }
}

/** The title of a pillar, or its id for one this version does not know. */
export function pillarTitle(pillar: PillarId): string {
  return PILLARS.find(p => p.id === pillar)?.title ?? pillar;
}

/** A score as shown: `72`, or `no data` when nothing could be scored. */
export function scoreText(score: number | null): string {
  return score === null ? 'no data' : String(score);
}

/** A mean score, to the one decimal the backend rounds to: `72.5`, or `no score`. */
export function meanText(mean: number | null): string {
  return mean === null ? 'no score' : String(mean);
}

/** A grade distribution in words, best first, for example `2 A, 1 C, 3 without grade`. */
export function distributionText(distribution: GradeDistribution): string {
  const parts = DISTRIBUTION_KEYS.filter(k => distribution[k] > 0).map(k =>
    k === 'none'
      ? `${distribution[k]} without grade`
      : `${distribution[k]} ${k}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no entity';
}

/** `1 entity`, `2 entities`. */
export function entitiesText(n: number): string {
  return `${n} ${n === 1 ? 'entity' : 'entities'}`;
}

/** How many entities a distribution counts. */
export function distributionTotal(distribution: GradeDistribution): number {
  return DISTRIBUTION_KEYS.reduce((sum, k) => sum + distribution[k], 0);
}

/** A failing or warning check with the pillar it belongs to. */
export interface PillarCheck {
  pillar: PillarId;
  pillarTitle: string;
  check: CheckResult;
}

/**
 * The checks to act on first: the failing ones, then the warnings, each in the order of the
 * pillars and of their checks, at most `limit` (default 5).
 */
export function topFailingChecks(options: {
  score: Pick<EntityScoreResponse, 'pillars'>;
  limit?: number;
}): PillarCheck[] {
  const { score, limit = 5 } = options;
  const all = score.pillars.flatMap(p =>
    p.checks.map(check => ({ pillar: p.pillar, pillarTitle: p.title, check })),
  );
  return [
    ...all.filter(c => c.check.state === 'fail'),
    ...all.filter(c => c.check.state === 'warn'),
  ].slice(0, limit);
}

/**
 * Why an entity has no grade, in a sentence: no data is not an F, so the card says what is
 * missing instead.
 */
export function noGradeReason(
  score: Pick<EntityScoreResponse, 'pillars'>,
): string {
  const checks = score.pillars.flatMap(p => p.checks);
  if (checks.length === 0) {
    return 'No check was computed for this entity yet: it is graded once its clusters were collected.';
  }
  if (score.pillars.some(p => p.score !== null)) {
    return 'Only pillars of weight 0 have a score, and they do not count towards the grade.';
  }
  return 'No check could be scored: every check is unknown or not applicable, and those are never counted as a pass or a fail.';
}
