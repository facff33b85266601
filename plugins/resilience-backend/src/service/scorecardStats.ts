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

/** How many entities (or daily points) of a grade, and the sum and count of their scores. */
export interface GradeCount {
  grade: Grade | null;
  count: number;
  sum: number;
  scored: number;
}

/** The counts of a summary, from its scored entities or points one by one. */
function countsOf(scored: Iterable<Scored>): GradeCount[] {
  return Array.from(scored, ({ score, grade }) => ({
    grade,
    count: 1,
    sum: score ?? 0,
    scored: score === null ? 0 : 1,
  }));
}

/**
 * How many have each grade (`none` without one), and the mean of the scores there are, to one
 * decimal, from counts by grade (as SQL groups them): a team's mean moves by less than a point
 * when one of many entities improves.
 */
export function summariseCounts(counts: Iterable<GradeCount>): {
  distribution: GradeDistribution;
  meanScore: number | null;
} {
  const distribution = emptyDistribution();
  let sum = 0;
  let scored = 0;
  for (const count of counts) {
    distribution[count.grade ?? 'none'] += count.count;
    sum += count.sum;
    scored += count.scored;
  }
  return {
    distribution,
    meanScore: scored === 0 ? null : Math.round((10 * sum) / scored) / 10,
  };
}

/** {@link summariseCounts} of entities or points one by one. */
export function summarise(scored: Iterable<Scored>) {
  return summariseCounts(countsOf(scored));
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
 * One point per day of the last `days` days, today last: the summary of the counts of that day.
 * An entity without a point that day (not scored yet, or the scoring did not run) counts in
 * neither its distribution nor its mean.
 */
export function dailyTrendOfCounts(options: {
  counts: Array<GradeCount & { date: string }>;
  days: number;
  now: Date;
}): ScorecardTrendPoint[] {
  const byDate = new Map<string, GradeCount[]>();
  for (const count of options.counts) {
    const counts = byDate.get(count.date) ?? [];
    counts.push(count);
    byDate.set(count.date, counts);
  }
  const start = trendStart(options).getTime();
  return Array.from({ length: options.days }, (_, i) => {
    const date = new Date(start + i * DAY_MS).toISOString().slice(0, 10);
    return { date, ...summariseCounts(byDate.get(date) ?? []) };
  });
}

/** {@link dailyTrendOfCounts} of points one by one. */
export function dailyTrend(options: {
  points: Array<Scored & { date: string }>;
  days: number;
  now: Date;
}): ScorecardTrendPoint[] {
  return dailyTrendOfCounts({
    counts: options.points.map(point => ({
      ...countsOf([point])[0],
      date: point.date,
    })),
    days: options.days,
    now: options.now,
  });
}
