import {
  backupOrderTime,
  BackupSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { PhaseGroup, phaseGroup } from '../phase';

/** A backup placed on the timeline. */
export interface TimelinePoint {
  backup: BackupSummary;
  group: PhaseGroup;
  /** Its completion, or its start while it has none, in milliseconds since the epoch. */
  time: number;
  /**
   * Seconds from the start of the newest restore point completed before `time` to `time`: how
   * old the data of the newest restore point was when this backup finished. Null when no
   * completed backup precedes it in the window.
   */
  sinceGood: number | null;
}

/**
 * A stretch during which one restore point was the newest, and how old its data grew: from the
 * start of its backup (`from`) to the completion of the next completed backup with newer data, or
 * to the end of the window (`open`) after the last one.
 */
export interface Gap {
  /** When the restore point's backup started: its data is as old as that. */
  from: number;
  /** When the restore point became available: its backup's completion. */
  availableAt: number;
  to: number;
  /** `to - from`, in seconds: the age of the restore point's data at `to`. */
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
  /** Oldest first; the restore point of each one became available at the `to` of the one before. */
  gaps: Gap[];
  /** The gaps longer than the RPO. */
  breaches: Gap[];
  /** Backups with neither a start nor a completion time, which cannot be placed. */
  undated: number;
  counts: Record<PhaseGroup, number>;
}

/** A completed backup as a restore point: when its data was captured and when it could be used. */
interface RestorePoint {
  start: number;
  completed: number;
}

/**
 * Places backups on a window that ends at `generatedAt` and spans the retention, and measures
 * how old the data of the newest restore point grew. A restore point becomes available when its
 * backup completes, but it holds the data as it was when the backup started (Velero's
 * `startTimestamp`; its `creationTimestamp`, then its completion, when it has none), so each gap
 * runs from one completed backup's start to the completion of the next, and the last from the
 * newest completed backup's start to the end of the window. Measured from completion to
 * completion, backups that take hours would meet an RPO that their data misses. A backup that
 * completes later than another but started earlier holds no newer data, so it ends no gap.
 * Points stay at their completion, since that is when the restore point appeared.
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

  // In order of completion. A start after the completion (clock skew) counts as the completion,
  // so that no age is negative.
  const goods: RestorePoint[] = placed
    .filter(p => p.group === 'completed')
    .map(p => ({
      start: Math.min(backupOrderTime(p.backup) ?? p.time, p.time),
      completed: p.time,
    }));

  let before = 0; // how many completed backups finished strictly before the current point
  let newestStart = -Infinity; // the latest start among them
  const points: TimelinePoint[] = placed.map(point => {
    while (before < goods.length && goods[before].completed < point.time) {
      newestStart = Math.max(newestStart, goods[before].start);
      before++;
    }
    return {
      ...point,
      sinceGood: before === 0 ? null : (point.time - newestStart) / 1000,
    };
  });

  const gaps: Gap[] = [];
  let newest: RestorePoint | undefined;
  for (const good of goods) {
    if (newest !== undefined) {
      if (good.start <= newest.start) continue;
      // Backups that completed at the same instant are one restore point: the newest data wins.
      if (good.completed > newest.completed) {
        gaps.push({
          from: newest.start,
          availableAt: newest.completed,
          to: good.completed,
          seconds: (good.completed - newest.start) / 1000,
          open: false,
        });
      }
    }
    newest = good;
  }
  if (newest !== undefined && newest.start < end) {
    gaps.push({
      from: newest.start,
      availableAt: newest.completed,
      to: end,
      seconds: (end - newest.start) / 1000,
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
