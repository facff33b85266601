import {
  CheckResult,
  CheckState,
  DEFAULT_GRADE_BOUNDS,
  entityScore,
  EntityScoreResponse,
  GradeDistribution,
  pillarScore,
  PillarId,
  ScorecardEntity,
} from '@resilience-for-backstage/plugin-resilience-common';

/** A check in a state, its message naming both. */
export function check(
  id: string,
  state: CheckState,
  change: Partial<CheckResult> = {},
): CheckResult {
  return {
    id,
    title: `Title of ${id}`,
    state,
    message: `${id} is ${state}.`,
    evidence: [],
    ...change,
  };
}

/**
 * An entity score computed by the common model from its pillars' checks, so that the scores in
 * a test are the ones the backend would send.
 */
export function entityScoreResponse(options: {
  checks: Partial<Record<PillarId, CheckResult[]>>;
  history?: EntityScoreResponse['history'];
}): EntityScoreResponse {
  const pillars = (
    ['backups', 'recovery', 'certificates', 'code-security'] as PillarId[]
  ).map(pillar =>
    pillarScore({ pillar, checks: options.checks[pillar] ?? [], weight: 1 }),
  );
  return {
    ...entityScore({ entityRef: 'component:default/ledger', pillars }),
    generatedAt: '2026-11-25T12:00:00Z',
    tier: 'gold',
    gradeBounds: DEFAULT_GRADE_BOUNDS,
    history: options.history ?? [],
  };
}

/** A distribution from the counts given, the others 0. */
export function distribution(
  counts: Partial<GradeDistribution>,
): GradeDistribution {
  return { A: 0, B: 0, C: 0, D: 0, E: 0, F: 0, none: 0, ...counts };
}

/** A component of a scorecard with a score in every pillar but recovery. */
export function scorecardEntity(
  name: string,
  score: number | null,
  change: Partial<ScorecardEntity> = {},
): ScorecardEntity {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    type: 'service',
    owner: 'group:default/payments',
    score,
    grade: null,
    pillars: {
      backups: score,
      recovery: null,
      certificates: score === null ? null : 100,
      'code-security': score === null ? null : 50,
    },
    computedAt: '2026-11-25T12:00:00Z',
    ...change,
  };
}
