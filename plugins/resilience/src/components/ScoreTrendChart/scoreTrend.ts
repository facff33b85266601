/** One day of a score trend: an entity's score, or a team's mean. */
export interface ScoreTrendPoint {
  /** `YYYY-MM-DD` (UTC). */
  date: string;
  score: number | null;
}

const DAY = 86400 * 1000;

/** The start of a day (UTC), in milliseconds since the epoch. */
export function dayTime(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/**
 * Whole days for the x axis from `start` to `end` (milliseconds), at most `most` of them: the
 * points are days, so a tick between two would label a day twice.
 */
export function dayTicks(options: {
  start: number;
  end: number;
  most: number;
}): number[] {
  const { start, end, most } = options;
  const days = Math.round((end - start) / DAY);
  const step = Math.max(1, Math.ceil((days + 1) / Math.max(1, most))) * DAY;
  const ticks: number[] = [];
  for (let t = start; t <= end; t += step) ticks.push(t);
  return ticks;
}

/**
 * The runs of consecutive days with a score: a day without one breaks the line rather than
 * being drawn as 0, since no data is not a zero score.
 */
export function scoreSegments(
  points: ScoreTrendPoint[],
): Array<Array<{ time: number; score: number }>> {
  const segments: Array<Array<{ time: number; score: number }>> = [];
  let current: Array<{ time: number; score: number }> = [];
  let previous: number | undefined;
  for (const p of points) {
    const time = dayTime(p.date);
    // A missing day breaks the line too: the backend leaves out days nobody was scored.
    const gap = previous !== undefined && time - previous > DAY;
    if (p.score === null || gap) {
      if (current.length > 0) segments.push(current);
      current = [];
    }
    if (p.score !== null) current.push({ time, score: p.score });
    previous = time;
  }
  if (current.length > 0) segments.push(current);
  return segments;
}

/** The trend in a sentence or two, for those who cannot see the chart. */
export function summarizeScoreTrend(options: {
  points: ScoreTrendPoint[];
  /** What is plotted, for example `the score` or `the mean score`. */
  what: string;
}): string {
  const { points, what } = options;
  const scored = points.filter(
    (p): p is { date: string; score: number } => p.score !== null,
  );
  if (scored.length === 0) {
    return points.length === 0
      ? `No trend yet: no day has ${what}.`
      : `No day of the ${points.length} shown has ${what}.`;
  }
  const first = scored[0];
  const last = scored[scored.length - 1];
  const capital = what.charAt(0).toUpperCase() + what.slice(1);
  if (scored.length === 1) {
    return `${capital} was ${first.score} on ${first.date}, the only day with one.`;
  }
  const values = scored.map(p => p.score);
  const lowest = Math.min(...values);
  const highest = Math.max(...values);
  const change =
    first.score === last.score
      ? `stayed at ${last.score}`
      : `went from ${first.score} to ${last.score}`;
  return `From ${first.date} to ${last.date}, ${what} ${change}; lowest ${lowest}, highest ${highest}.`;
}
