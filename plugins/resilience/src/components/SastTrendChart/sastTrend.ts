import {
  SAST_SEVERITIES,
  SastSeverity,
  SastTrendPoint,
} from '@resilience-for-backstage/plugin-resilience-common';
import { plural, severityCountsText, totalFindings } from '../sast';

/** One severity's band of the stacked chart: from `lower` to `upper` at each time. */
export interface TrendLayer {
  severity: SastSeverity;
  lower: number[];
  upper: number[];
}

/** What the trend chart draws. */
export interface StackedTrend {
  /** Each day, in milliseconds since the epoch (its start, UTC). */
  times: number[];
  /** The severities that had open findings on some day, most severe at the bottom. */
  layers: TrendLayer[];
  /** The most findings open on one day. */
  max: number;
}

const DAY = 86400 * 1000;

/**
 * Stacks the open findings of each day by severity, critical at the bottom, leaving out the
 * severities that had none in the window. A single day is drawn as a flat stretch of one day.
 */
export function stackTrend(trend: SastTrendPoint[]): StackedTrend {
  const points =
    trend.length === 1
      ? [
          {
            ...trend[0],
            date: new Date(Date.parse(trend[0].date) - DAY)
              .toISOString()
              .slice(0, 10),
          },
          trend[0],
        ]
      : trend;
  const times = points.map(p => Date.parse(`${p.date}T00:00:00Z`));
  const base = points.map(() => 0);
  const layers: TrendLayer[] = [];
  for (const severity of SAST_SEVERITIES) {
    if (!points.some(p => p.open[severity] > 0)) continue;
    const lower = [...base];
    points.forEach((p, i) => {
      base[i] += p.open[severity];
    });
    layers.push({ severity, lower, upper: [...base] });
  }
  return { times, layers, max: Math.max(0, ...base) };
}

const COUNT_STEPS = [1, 2, 5];

/**
 * Values for the count axis from zero to at least `max`, in at most `most` steps of 1, 2 or 5
 * times a power of ten; the last one is the top of the axis.
 */
export function countTicks(max: number, most = 5): number[] {
  let step = 1;
  for (let power = 1; ; power *= 10) {
    const found = COUNT_STEPS.map(s => s * power).find(s => max / s <= most);
    if (found !== undefined) {
      step = found;
      break;
    }
  }
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) ticks.push(v);
  return ticks;
}

function criticalAndHigh(point: SastTrendPoint): number {
  return point.open.critical + point.open.high;
}

/** The chart in a few sentences: how the open findings went, for those who cannot see it. */
export function summarizeTrend(trend: SastTrendPoint[]): string {
  if (trend.length === 0) {
    return 'No trend: the backend returned no day.';
  }
  const first = trend[0];
  const last = trend[trend.length - 1];
  const window = `the last ${plural(trend.length, 'day')} (${first.date} to ${
    last.date
  })`;
  const totals = trend.map(p => totalFindings(p.open));
  const most = Math.max(...totals);
  if (most === 0) {
    return `No finding was open in ${window}.`;
  }
  const from = totals[0];
  const to = totals[totals.length - 1];
  const parts = [
    from === to
      ? `Over ${window}, open findings stayed at ${to}`
      : `Over ${window}, open findings went from ${from} to ${to}`,
  ];
  if (most > from && most > to) {
    const peak = trend[totals.indexOf(most)];
    parts[0] += `; the most was ${most}, on ${peak.date}`;
  }
  parts[0] += '.';
  const severeFrom = criticalAndHigh(first);
  const severeTo = criticalAndHigh(last);
  parts.push(
    severeFrom === severeTo
      ? `Critical and high stayed at ${severeTo}.`
      : `Critical and high went from ${severeFrom} to ${severeTo}.`,
  );
  parts.push(`Open now: ${severityCountsText(last.open)}.`);
  return parts.join(' ');
}
