import { InputError } from '@backstage/errors';
import {
  Grade,
  GRADES,
  PillarId,
  PILLARS,
} from '@resilience-for-backstage/plugin-resilience-common';

/** What a team's entities can be sorted by: their score, their name, or one pillar's score. */
export type ScorecardSort = 'score' | 'name' | PillarId;

/** The query parameters of `GET /groups/:namespace/:name/scorecard`. */
export interface TeamScorecardQuery {
  offset: number;
  limit: number;
  sort: ScorecardSort;
  order: 'asc' | 'desc';
  /** Only entities of these grades (`none`: without one); every entity when absent. */
  grades?: Array<Grade | 'none'>;
  /** Only entities with a score in this pillar. */
  pillar?: PillarId;
  days: number;
}

/** The query parameters of `GET /scorecard`. */
export interface OrganisationScorecardQuery {
  days: number;
}

const DEFAULT_LIMIT = 25;
const MAX_LIMIT = 200;
const DEFAULT_DAYS = 90;
/** The most days of trend a scorecard shows. */
export const MAX_DAYS = 365;

const PILLAR_IDS = PILLARS.map(p => p.id);
const SORTS: ScorecardSort[] = ['score', 'name', ...PILLAR_IDS];

/** A parameter given once, or absent; express makes an array of one given twice. */
function single(
  query: Record<string, unknown>,
  name: string,
  expected: string,
): string | undefined {
  const value = query[name];
  if (value !== undefined && typeof value !== 'string') {
    throw new InputError(
      `The ${name} query parameter must be given once, as ${expected}`,
    );
  }
  return value;
}

function integer(
  query: Record<string, unknown>,
  name: string,
  options: { fallback: number; min: number; max: number },
): number {
  const expected = `a whole number from ${options.min} to ${options.max}`;
  const value = single(query, name, expected);
  if (value === undefined) return options.fallback;
  const number = value.trim() === '' ? NaN : Number(value);
  if (
    !Number.isInteger(number) ||
    number < options.min ||
    number > options.max
  ) {
    throw new InputError(
      `The ${name} query parameter must be given once, as ${expected}, not "${value}"`,
    );
  }
  return number;
}

function oneOf<T extends string>(
  query: Record<string, unknown>,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const expected = `one of ${allowed.join(', ')}`;
  const value = single(query, name, expected);
  if (value === undefined) return undefined;
  if (!allowed.includes(value as T)) {
    throw new InputError(
      `Unknown ${name} "${value}" in the ${name} query parameter; use ${expected}`,
    );
  }
  return value as T;
}

function readDays(query: Record<string, unknown>): number {
  return integer(query, 'days', {
    fallback: DEFAULT_DAYS,
    min: 1,
    max: MAX_DAYS,
  });
}

function readGrades(
  query: Record<string, unknown>,
): Array<Grade | 'none'> | undefined {
  const allowed: Array<Grade | 'none'> = [...GRADES, 'none'];
  const value = single(
    query,
    'grade',
    `a comma-separated list of ${allowed.join(', ')}`,
  );
  if (!value) return undefined;
  const given = value
    .split(',')
    .map(g => g.trim())
    .map(g => (g.toLowerCase() === 'none' ? 'none' : g.toUpperCase()));
  const unknown = given.filter(g => !allowed.includes(g as Grade | 'none'));
  if (unknown.length > 0) {
    throw new InputError(
      `Unknown grade ${unknown
        .map(g => `"${g}"`)
        .join(', ')} in the grade query parameter; use ${allowed.join(
        ', ',
      )}, comma-separated`,
    );
  }
  return given as Array<Grade | 'none'>;
}

/** Reads and checks the query parameters, with a message that says what to fix. */
export function readTeamScorecardQuery(
  query: Record<string, unknown>,
): TeamScorecardQuery {
  return {
    offset: integer(query, 'offset', {
      fallback: 0,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    limit: integer(query, 'limit', {
      fallback: DEFAULT_LIMIT,
      min: 1,
      max: MAX_LIMIT,
    }),
    sort: oneOf(query, 'sort', SORTS) ?? 'score',
    order: oneOf(query, 'order', ['asc', 'desc'] as const) ?? 'asc',
    grades: readGrades(query),
    pillar: oneOf(query, 'pillar', PILLAR_IDS),
    days: readDays(query),
  };
}

/** Reads and checks the query parameters, with a message that says what to fix. */
export function readOrganisationScorecardQuery(
  query: Record<string, unknown>,
): OrganisationScorecardQuery {
  return { days: readDays(query) };
}
