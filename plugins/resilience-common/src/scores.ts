import type { CheckResult, CheckState } from './types';

/**
 * The pillars an entity is scored on.
 *
 * @public
 */
export type PillarId =
  | 'backups'
  | 'recovery'
  | 'certificates'
  | 'code-security';

/**
 * The pillars, in the order they are shown, with their titles.
 *
 * @public
 */
export const PILLARS: ReadonlyArray<{ id: PillarId; title: string }> = [
  { id: 'backups', title: 'Backups' },
  { id: 'recovery', title: 'Recovery' },
  { id: 'certificates', title: 'Certificates' },
  { id: 'code-security', title: 'Code security' },
];

/**
 * A grade, best first. An entity with no data has none.
 *
 * @public
 */
export type Grade = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/**
 * The grades, best first.
 *
 * @public
 */
export const GRADES: Grade[] = ['A', 'B', 'C', 'D', 'E', 'F'];

/**
 * The lowest score of each grade but F, which is everything below E's bound.
 *
 * @public
 */
export type GradeBounds = Record<Exclude<Grade, 'F'>, number>;

/**
 * The grade bounds unless configured (`resilience.scoring.grades`).
 *
 * @public
 */
export const DEFAULT_GRADE_BOUNDS: GradeBounds = {
  A: 90,
  B: 80,
  C: 70,
  D: 60,
  E: 50,
};

/**
 * How many checks of a pillar ended in each state.
 *
 * @public
 */
export type CheckStateCounts = Record<CheckState, number>;

/**
 * One pillar of an entity's score.
 *
 * @public
 */
export interface PillarScore {
  pillar: PillarId;
  title: string;
  /**
   * 0 to 100: the mean of its scored checks (pass 1, warn 0.5, fail 0), rounded; null when no
   * check was scored (all unknown or not applicable, or none).
   */
  score: number | null;
  /** Its weight in the entity score (`resilience.scoring.weights`). */
  weight: number;
  /** Its checks by state; `unknown` and `not-applicable` are not scored, and shown. */
  counts: CheckStateCounts;
  /** Its checks, in their fixed order. */
  checks: CheckResult[];
}

/**
 * The score of an entity: its pillars, and their weighted mean.
 *
 * @public
 */
export interface EntityScore {
  entityRef: string;
  /** The weighted mean of the pillars with a score, rounded; null when none has one. */
  score: number | null;
  /** The grade of `score`; null when there is no score: no data is not an F. */
  grade: Grade | null;
  pillars: PillarScore[];
}

/**
 * One day's point of an entity's score history.
 *
 * @public
 */
export interface ScorePoint {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  score: number | null;
  grade: Grade | null;
  pillars: Record<PillarId, number | null>;
}

/**
 * Response of `GET /api/resilience/entities/:kind/:namespace/:name/score`.
 *
 * @public
 */
export interface EntityScoreResponse extends EntityScore {
  /** ISO 8601 time the score was computed. */
  generatedAt: string;
  /** The policy tier the entity is held to. */
  tier: string;
  /** The grade bounds in force. */
  gradeBounds: GradeBounds;
  /** The daily points of the last `days` days (query parameter, default 90), oldest first. */
  history: ScorePoint[];
}

const CHECK_VALUE: Partial<Record<CheckState, number>> = {
  pass: 1,
  warn: 0.5,
  fail: 0,
};

/** Counts of each state, all zero. */
function zeroCounts(): CheckStateCounts {
  return { pass: 0, warn: 0, fail: 0, unknown: 0, 'not-applicable': 0 };
}

/**
 * The score of one pillar from its checks: pass 1, warn 0.5, fail 0; `unknown` and
 * `not-applicable` are counted, not scored.
 *
 * @public
 */
export function pillarScore(options: {
  pillar: PillarId;
  checks: CheckResult[];
  weight: number;
}): PillarScore {
  const counts = zeroCounts();
  let sum = 0;
  let scored = 0;
  for (const check of options.checks) {
    counts[check.state] += 1;
    const value = CHECK_VALUE[check.state];
    if (value !== undefined) {
      sum += value;
      scored += 1;
    }
  }
  return {
    pillar: options.pillar,
    title: PILLARS.find(p => p.id === options.pillar)!.title,
    score: scored === 0 ? null : Math.round((100 * sum) / scored),
    weight: options.weight,
    counts,
    checks: options.checks,
  };
}

/**
 * The grade of a score: the best grade whose bound it reaches; null without a score.
 *
 * @public
 */
export function gradeOf(
  score: number | null,
  bounds: GradeBounds = DEFAULT_GRADE_BOUNDS,
): Grade | null {
  if (score === null) return null;
  for (const grade of GRADES) {
    if (grade === 'F' || score >= bounds[grade]) return grade;
  }
  return 'F';
}

/**
 * An entity's score: the weighted mean of its pillars that have a score (a pillar of weight 0
 * does not count), and its grade.
 *
 * @public
 */
export function entityScore(options: {
  entityRef: string;
  pillars: PillarScore[];
  bounds?: GradeBounds;
}): EntityScore {
  let sum = 0;
  let weights = 0;
  for (const pillar of options.pillars) {
    if (pillar.score !== null && pillar.weight > 0) {
      sum += pillar.score * pillar.weight;
      weights += pillar.weight;
    }
  }
  const score = weights === 0 ? null : Math.round(sum / weights);
  return {
    entityRef: options.entityRef,
    score,
    grade: gradeOf(score, options.bounds),
    pillars: options.pillars,
  };
}

/**
 * How many entities have each grade, and how many have none.
 *
 * @public
 */
export type GradeDistribution = Record<Grade | 'none', number>;

/**
 * One day of a team's or the organisation's trend: the entities scored that day.
 *
 * @public
 */
export interface ScorecardTrendPoint {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  /** The mean of that day's scores, to one decimal; null when none was scored. */
  meanScore: number | null;
  distribution: GradeDistribution;
}

/**
 * One entity of a team's scorecard, from its latest stored score.
 *
 * @public
 */
export interface ScorecardEntity {
  entityRef: string;
  title?: string;
  kind: string;
  /** `spec.type`, for example `service`. */
  type?: string;
  /** `spec.owner`. */
  owner?: string;
  score: number | null;
  grade: Grade | null;
  pillars: Record<PillarId, number | null>;
  /** ISO 8601 time its score was last computed; absent when it never was. */
  computedAt?: string;
}

/**
 * Response of `GET /api/resilience/groups/:namespace/:name/scorecard`: the entities a group owns,
 * directly or through its child groups, that the caller may read.
 *
 * Query parameters: `offset` (default 0), `limit` (default 25, at most 200), `sort` (`score`,
 * `name`, or a pillar id; default `score`), `order` (`asc` or `desc`; default `asc`, worst
 * first, entities without a score last), `grade` (comma-separated grades, `none` for no
 * grade), `pillar` (only entities with a score in that pillar), `days` (how many days the
 * trend covers; default 90, at most 365).
 *
 * @public
 */
export interface TeamScorecardResponse {
  groupRef: string;
  /** The group and its descendants, whose entities count. */
  groups: string[];
  /** One page of the entities that pass the filters. */
  items: ScorecardEntity[];
  /** How many entities pass the filters. */
  total: number;
  offset: number;
  limit: number;
  /** Over every entity of the group the caller may read, whatever the filters. */
  distribution: GradeDistribution;
  /** The mean score of those entities that have one; null when none has. */
  meanScore: number | null;
  /** The group's daily mean score and grades over the last `days` days (default 90). */
  trend: ScorecardTrendPoint[];
}

/**
 * One team in the organisation's ranking.
 *
 * @public
 */
export interface TeamRanking {
  groupRef: string;
  title?: string;
  /** The entities it owns, directly or through child groups, that the caller may read. */
  entities: number;
  meanScore: number | null;
  distribution: GradeDistribution;
}

/**
 * Response of `GET /api/resilience/scorecard`: every group the caller may read that owns at
 * least one entity, best mean score first (those without a score last), and the organisation's
 * daily trend over the last `days` days (default 90).
 *
 * @public
 */
export interface OrganisationScorecardResponse {
  generatedAt: string;
  teams: TeamRanking[];
  /** Over every entity the caller may read that some group owns. */
  distribution: GradeDistribution;
  meanScore: number | null;
  trend: ScorecardTrendPoint[];
}
