import { BackupSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { buildTimeline, timeTicks, valueTicks } from './timeline';

const H = 3600;
const D = 86400;
const NOW = '2026-11-25T12:00:00Z';
const at = (hoursBeforeNow: number) =>
  new Date(Date.parse(NOW) - hoursBeforeNow * H * 1000).toISOString();

function backup(
  name: string,
  phase: string,
  hoursBeforeNow: number,
): BackupSummary {
  return {
    cluster: 'prod',
    namespace: 'velero',
    name,
    phase,
    startedAt: at(hoursBeforeNow + 0.1),
    completedAt: phase.match(/InProgress|New/) ? undefined : at(hoursBeforeNow),
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

describe('buildTimeline', () => {
  it('measures each backup from the completed backup before it, newest-first input in time order', () => {
    const t = timeline([
      backup('d', 'InProgress', 1),
      backup('c', 'Completed', 10),
      backup('b', 'PartiallyFailed', 34),
      backup('a', 'Completed', 40),
      backup('first-failed', 'Failed', 50),
    ]);
    expect(t.points.map(p => [p.backup.name, p.sinceGood])).toEqual([
      ['first-failed', null],
      ['a', null],
      ['b', 6 * H],
      ['c', 30 * H],
      // In progress: placed at its start, 0.1 h earlier than its completion would be.
      ['d', 9 * H - 0.1 * H],
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

  it('finds the gaps between completed backups, the last one open until now, and those over the RPO', () => {
    const t = timeline([
      backup('c', 'Completed', 2),
      backup('failed', 'Failed', 20),
      backup('b', 'Completed', 32),
      backup('a', 'Completed', 50),
    ]);
    expect(t.gaps.map(g => [g.seconds / H, g.open])).toEqual([
      [18, false],
      [30, false],
      [2, true],
    ]);
    expect(t.breaches.map(g => g.seconds / H)).toEqual([30]);
  });

  it('counts the time since the newest completed backup as a breach once it exceeds the RPO', () => {
    const t = timeline([
      backup('failed', 'Failed', 3),
      backup('a', 'Completed', 30),
    ]);
    expect(t.breaches).toEqual([
      expect.objectContaining({ seconds: 30 * H, open: true }),
    ]);
    expect(t.points[1].sinceGood).toBe(27 * H);
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

  it('treats backups that completed at the same instant as one restore point', () => {
    const t = timeline([
      backup('b1', 'Completed', 5),
      backup('b2', 'Completed', 5),
      backup('a', 'Completed', 29),
    ]);
    expect(t.points.map(p => p.sinceGood)).toEqual([null, 24 * H, 24 * H]);
    expect(t.gaps.map(g => g.seconds / H)).toEqual([24, 5]);
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
