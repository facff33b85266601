import { BackupSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { PhaseGroup, phaseGroup } from '../phase';

/** A backup placed on the timeline. */
export interface TimelinePoint {
  backup: BackupSummary;
  group: PhaseGroup;
  /** Its completion, or its start while it has none, in milliseconds since the epoch. */
  time: number;
  /**
   * Seconds from the previous completed backup to `time`: how old the newest restore point was
   * when this backup finished. Null when no completed backup precedes it in the window.
   */
  sinceGood: number | null;
}

/**
 * A stretch during which the newest restore point aged from nothing to `seconds`: from one
 * completed backup to the next, or to the end of the window (`open`) after the last one.
 */
export interface Gap {
  from: number;
  to: number;
  seconds: number;
  open: boolean;
}

/** What the timeline chart draws. */
export interface Timeline {
  /** The window, in milliseconds since the epoch. */
  start: number;
  end: number;
  /** Oldest first. */
  points: TimelinePoint[];
  gaps: Gap[];
  /** The gaps longer than the RPO. */
  breaches: Gap[];
  /** Backups with neither a start nor a completion time, which cannot be placed. */
  undated: number;
  counts: Record<PhaseGroup, number>;
}

/**
 * Places backups on a window that ends at `generatedAt` and spans the retention, and measures,
 * from one completed backup to the next, how old the newest restore point grew. Completion times
 * are used because Velero counts a restore point from its `completionTimestamp`.
 */
export function buildTimeline(options: {
  backups: BackupSummary[];
  generatedAt: string;
  rpoSeconds: number;
  retentionSeconds: number;
}): Timeline {
  const end = Date.parse(options.generatedAt);
  const counts: Record<PhaseGroup, number> = {
    completed: 0,
    'partially-failed': 0,
    failed: 0,
    'in-progress': 0,
    other: 0,
  };
  let undated = 0;
  const placed: Array<Omit<TimelinePoint, 'sinceGood'>> = [];
  for (const backup of options.backups) {
    const time = Date.parse(backup.completedAt ?? backup.startedAt ?? '');
    if (Number.isNaN(time)) {
      undated++;
      continue;
    }
    const group = phaseGroup(backup.phase);
    counts[group]++;
    placed.push({ backup, group, time });
  }
  placed.sort((a, b) => a.time - b.time);

  const goods = placed.filter(p => p.group === 'completed').map(p => p.time);
  let before = 0; // how many completed backups finished strictly before the current point
  const points: TimelinePoint[] = placed.map(point => {
    while (before < goods.length && goods[before] < point.time) before++;
    return {
      ...point,
      sinceGood: before === 0 ? null : (point.time - goods[before - 1]) / 1000,
    };
  });

  const gaps: Gap[] = [];
  for (let i = 1; i < goods.length; i++) {
    if (goods[i] > goods[i - 1]) {
      gaps.push({
        from: goods[i - 1],
        to: goods[i],
        seconds: (goods[i] - goods[i - 1]) / 1000,
        open: false,
      });
    }
  }
  const newest = goods[goods.length - 1];
  if (newest !== undefined && newest < end) {
    gaps.push({
      from: newest,
      to: end,
      seconds: (end - newest) / 1000,
      open: true,
    });
  }

  const windowStart = end - options.retentionSeconds * 1000;
  const start = Math.min(
    windowStart < end ? windowStart : end - 86400 * 1000,
    points.length > 0 ? points[0].time : Infinity,
  );
  return {
    start,
    end: Math.max(
      end,
      points.length > 0 ? points[points.length - 1].time : end,
    ),
    points,
    gaps,
    breaches:
      options.rpoSeconds > 0
        ? gaps.filter(g => g.seconds > options.rpoSeconds)
        : [],
    undated,
    counts,
  };
}

const HOUR = 3600;
const DAY = 86400;
const TIME_STEPS = [
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
  91 * DAY,
  182 * DAY,
  365 * DAY,
];
const VALUE_STEPS = [
  60,
  5 * 60,
  15 * 60,
  30 * 60,
  ...TIME_STEPS.slice(0, 7),
  3 * DAY,
  ...TIME_STEPS.slice(7),
];

/**
 * Times for the x axis between `start` and `end` (milliseconds), at most `most` of them, on whole
 * UTC hours or days.
 */
export function timeTicks(start: number, end: number, most = 8): number[] {
  const span = (end - start) / 1000;
  const step =
    (TIME_STEPS.find(s => span / s < most) ??
      Math.ceil(span / most / DAY) * DAY) * 1000;
  const ticks: number[] = [];
  for (let t = Math.ceil(start / step) * step; t <= end; t += step) {
    ticks.push(t);
  }
  return ticks;
}

/**
 * Values for the y axis from zero to at least `max` seconds, in at most `most` steps of a round
 * duration; the last one is the top of the axis.
 */
export function valueTicks(max: number, most = 5): number[] {
  const step =
    VALUE_STEPS.find(s => max / s <= most) ?? Math.ceil(max / most / DAY) * DAY;
  const top = Math.max(step, Math.ceil(max / step) * step);
  const ticks: number[] = [];
  for (let v = 0; v <= top; v += step) {
    ticks.push(v);
  }
  return ticks;
}
