import { BackupSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { buildTimeline, timeTicks, valueTicks } from './timeline';

const H = 3600;
const D = 86400;
const NOW = '2026-11-25T12:00:00Z';
const at = (hoursBeforeNow: number) =>
  new Date(Date.parse(NOW) - hoursBeforeNow * H * 1000).toISOString();

/** A backup that started `startedHoursAgo` and, unless it is still running, took `tookHours`. */
function backup(
  name: string,
  phase: string,
  startedHoursAgo: number,
  tookHours = 1,
): BackupSummary {
  return {
    cluster: 'prod',
    namespace: 'velero',
    name,
    phase,
    startedAt: at(startedHoursAgo),
    completedAt: phase.match(/InProgress|New/)
      ? undefined
      : at(startedHoursAgo - tookHours),
    errors: 0,
    warnings: 0,
  };
}

const timeline = (backups: BackupSummary[], rpoHours = 24) =>
  buildTimeline({
    backups,
    generatedAt: NOW,
    rpoSeconds: rpoHours * H,
    retentionSeconds: 30 * D,
  });

/** Gaps as `[from, availableAt, to]` in hours before now, their length in hours, and `open`. */
const gapsOf = (t: ReturnType<typeof timeline>) =>
  t.gaps.map(g => [
    [g.from, g.availableAt, g.to].map(ms => (Date.parse(NOW) - ms) / H / 1000),
    g.seconds / H,
    g.open,
  ]);

describe('buildTimeline', () => {
  it('places backups at their completion, oldest first, and measures each from the start of the completed backup before it', () => {
    const t = timeline([
      backup('d', 'InProgress', 2),
      backup('c', 'Completed', 12, 2),
      backup('b', 'PartiallyFailed', 36, 2),
      backup('a', 'Completed', 46, 6),
      backup('first-failed', 'Failed', 51),
    ]);
    expect(
      t.points.map(p => [
        p.backup.name,
        (Date.parse(NOW) - p.time) / H / 1000,
        p.sinceGood === null ? null : p.sinceGood / H,
      ]),
    ).toEqual([
      ['first-failed', 50, null],
      ['a', 40, null],
      // From a's start, 46 h ago, not its completion 40 h ago.
      ['b', 34, 12],
      ['c', 10, 36],
      // In progress: placed at its start.
      ['d', 2, 10],
    ]);
    expect(t.counts).toEqual({
      completed: 2,
      'partially-failed': 1,
      failed: 1,
      'in-progress': 1,
      other: 0,
    });
    expect(t.end).toBe(Date.parse(NOW));
    expect(t.start).toBe(Date.parse(NOW) - 30 * D * 1000);
  });

  it.each([
    // Daily backups that take 6 h: completion to completion is 24 h, but the data of the first
    // is 30 h old when the second completes.
    ['6 h backups, RPO 26 h', 6, 26, [30, false], [30]],
    ['6 h backups, RPO 30 h', 6, 30, [30, false], []],
    ['1 h backups, RPO 24 h', 1, 24, [25, false], [25]],
    ['1 h backups, RPO 26 h', 1, 26, [25, false], []],
  ])(
    'runs a gap from a backup’s start to the next one’s completion: %s',
    (_, took, rpo, closed, breaches) => {
      const t = timeline(
        [
          backup('b', 'Completed', 24, took),
          backup('a', 'Completed', 48, took),
        ],
        rpo,
      );
      expect(gapsOf(t)).toEqual([
        [[48, 48 - took, 24 - took], ...closed],
        [[24, 24 - took, 0], 24, true],
      ]);
      expect(t.breaches.map(g => g.seconds / H)).toEqual(breaches);
      expect(t.points.map(p => p.sinceGood && p.sinceGood / H)).toEqual([
        null,
        closed[0],
      ]);
    },
  );

  it('finds the gaps between completed backups, the last one open until now, and those over the RPO', () => {
    const t = timeline([
      backup('c', 'Completed', 3),
      backup('failed', 'Failed', 21),
      backup('b', 'Completed', 33),
      backup('a', 'Completed', 51),
    ]);
    expect(gapsOf(t)).toEqual([
      [[51, 50, 32], 19, false],
      [[33, 32, 2], 31, false],
      [[3, 2, 0], 3, true],
    ]);
    expect(t.breaches.map(g => g.seconds / H)).toEqual([31]);
  });

  it('counts the time since the newest completed backup started as a breach once it exceeds the RPO', () => {
    // Completed 23 h ago, within an RPO of 24 h, but with data from 26 h ago.
    const t = timeline([
      backup('failed', 'Failed', 4),
      backup('a', 'Completed', 26, 3),
    ]);
    expect(t.breaches).toEqual([
      expect.objectContaining({ seconds: 26 * H, open: true }),
    ]);
    expect(t.points[1].sinceGood).toBe(23 * H);
  });

  it('ends no gap at a backup that completed later but started earlier, since its data is older', () => {
    const t = timeline([
      backup('failed', 'Failed', 6),
      backup('long', 'Completed', 30, 20),
      backup('short', 'Completed', 20, 1),
      backup('early', 'Completed', 50, 1),
    ]);
    expect(gapsOf(t)).toEqual([
      [[50, 49, 19], 31, false],
      [[20, 19, 0], 20, true],
    ]);
    expect(t.breaches.map(g => g.seconds / H)).toEqual([31]);
    expect(
      t.points.map(p => [p.backup.name, p.sinceGood && p.sinceGood / H]),
    ).toEqual([
      ['early', null],
      ['short', 31],
      // The newest restore point is still short's.
      ['long', 10],
      ['failed', 15],
    ]);
  });

  it('falls back to the creation, then the completion, for a completed backup without a start', () => {
    const created = {
      ...backup('created', 'Completed', 30),
      startedAt: undefined,
      createdAt: at(32),
    };
    const completedOnly = {
      ...backup('completed-only', 'Completed', 5),
      startedAt: undefined,
    };
    expect(gapsOf(timeline([completedOnly, created]))).toEqual([
      [[32, 29, 4], 28, false],
      [[4, 4, 0], 4, true],
    ]);
  });

  it('has no gaps without completed backups, and leaves out backups without times', () => {
    const t = timeline([
      backup('failed', 'Failed', 3),
      { ...backup('undated', 'New', 1), startedAt: undefined },
    ]);
    expect(t.gaps).toEqual([]);
    expect(t.breaches).toEqual([]);
    expect(t.undated).toBe(1);
    expect(t.points.map(p => p.backup.name)).toEqual(['failed']);
  });

  it('treats backups that completed at the same instant as one restore point, with the newer data', () => {
    const t = timeline([
      // b2 comes first, so that b1's newer data must replace it at the same instant.
      backup('b2', 'Completed', 8, 3),
      backup('b1', 'Completed', 6, 1),
      backup('a', 'Completed', 29),
    ]);
    expect(t.points.map(p => p.sinceGood && p.sinceGood / H)).toEqual([
      null,
      24,
      24,
    ]);
    expect(gapsOf(t)).toEqual([
      [[29, 28, 5], 24, false],
      [[6, 5, 0], 6, true],
    ]);
    expect(t.breaches).toEqual([]);
  });
});

describe('timeTicks', () => {
  it('puts at most 8 ticks on whole UTC days over 30 days', () => {
    const end = Date.parse(NOW);
    const ticks = timeTicks(end - 30 * D * 1000, end);
    expect(ticks.length).toBeLessThanOrEqual(8);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    for (const t of ticks) {
      expect(new Date(t).toISOString()).toMatch(/T00:00:00.000Z$/);
    }
  });

  it('uses hours over a day', () => {
    const end = Date.parse(NOW);
    const ticks = timeTicks(end - D * 1000, end);
    expect(ticks.map(t => new Date(t).toISOString().slice(11, 16))).toEqual([
      '12:00',
      '18:00',
      '00:00',
      '06:00',
      '12:00',
    ]);
  });
});

describe('valueTicks', () => {
  it.each([
    [30 * H, [0, 6, 12, 18, 24, 30]],
    [26 * H, [0, 6, 12, 18, 24, 30]],
    [5 * H, [0, 1, 2, 3, 4, 5]],
    [20 * D, [0, 7 * 24, 14 * 24, 21 * 24]],
  ])('%i s → %j hours', (max, hours) => {
    expect(valueTicks(max).map(v => v / H)).toEqual(hours);
  });
});
