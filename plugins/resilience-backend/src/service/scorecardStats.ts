import {
  Grade,
  GRADES,
  GradeDistribution,
  ScorecardTrendPoint,
} from '@resilience-for-backstage/plugin-resilience-common';

const DAY_MS = 86_400_000;

/** What the summaries of a scorecard read of each entity, or of each daily point. */
export interface Scored {
  score: number | null;
  grade: Grade | null;
}

/** No entity of any grade. */
export function emptyDistribution(): GradeDistribution {
  const distribution = { none: 0 } as GradeDistribution;
  for (const grade of GRADES) {
    distribution[grade] = 0;
  }
  return distribution;
}

/**
 * How many have each grade (`none` without one), and the mean of the scores there are, to one
 * decimal: a team's mean moves by less than a point when one of many entities improves.
 */
export function summarise(scored: Iterable<Scored>): {
  distribution: GradeDistribution;
  meanScore: number | null;
} {
  const distribution = emptyDistribution();
  let sum = 0;
  let count = 0;
  for (const { score, grade } of scored) {
    distribution[grade ?? 'none'] += 1;
    if (score !== null) {
      sum += score;
      count += 1;
    }
  }
  return {
    distribution,
    meanScore: count === 0 ? null : Math.round((10 * sum) / count) / 10,
  };
}

/** The start (UTC midnight) of the first day of a trend of `days` days ending today. */
export function trendStart(options: { days: number; now: Date }): Date {
  const today = Date.UTC(
    options.now.getUTCFullYear(),
    options.now.getUTCMonth(),
    options.now.getUTCDate(),
  );
  return new Date(today - (options.days - 1) * DAY_MS);
}

/**
 * One point per day of the last `days` days, today last: the summary of the entities' points of
 * that day. An entity without a point that day (not scored yet, or the scoring did not run)
 * counts in neither its distribution nor its mean.
 */
export function dailyTrend(options: {
  points: Array<Scored & { date: string }>;
  days: number;
  now: Date;
}): ScorecardTrendPoint[] {
  const byDate = new Map<string, Scored[]>();
  for (const point of options.points) {
    const points = byDate.get(point.date) ?? [];
    points.push(point);
    byDate.set(point.date, points);
  }
  const start = trendStart(options).getTime();
  return Array.from({ length: options.days }, (_, i) => {
    const date = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
    return { date, ...summarise(byDate.get(date) ?? []) };
  });
}
