import { SastTrendPoint } from '@resilience-for-backstage/plugin-resilience-common';
import { countTicks, stackTrend, summarizeTrend } from './sastTrend';

function day(
  date: string,
  critical: number,
  high: number,
  medium = 0,
  low = 0,
): SastTrendPoint {
  return { date, open: { critical, high, medium, low, none: 0 } };
}

describe('stackTrend', () => {
  it('stacks the severities with findings, critical at the bottom', () => {
    const stacked = stackTrend([
      day('2026-11-23', 1, 0, 2),
      day('2026-11-24', 1, 3, 2),
      day('2026-11-25', 0, 3, 1),
    ]);
    expect(stacked.times.map(t => new Date(t).toISOString())).toEqual([
      '2026-11-23T00:00:00.000Z',
      '2026-11-24T00:00:00.000Z',
      '2026-11-25T00:00:00.000Z',
    ]);
    expect(stacked.layers).toEqual([
      { severity: 'critical', lower: [0, 0, 0], upper: [1, 1, 0] },
      { severity: 'high', lower: [1, 1, 0], upper: [1, 4, 3] },
      { severity: 'medium', lower: [1, 4, 3], upper: [3, 6, 4] },
    ]);
    expect(stacked.max).toBe(6);
  });

  it('draws a single day as a flat day', () => {
    const stacked = stackTrend([day('2026-11-25', 0, 2)]);
    expect(stacked.times.map(t => new Date(t).toISOString())).toEqual([
      '2026-11-24T00:00:00.000Z',
      '2026-11-25T00:00:00.000Z',
    ]);
    expect(stacked.layers).toEqual([
      { severity: 'high', lower: [0, 0], upper: [2, 2] },
    ]);
  });

  it('has no layer when nothing was open', () => {
    expect(
      stackTrend([day('2026-11-24', 0, 0), day('2026-11-25', 0, 0)]),
    ).toEqual(expect.objectContaining({ layers: [], max: 0 }));
  });
});

describe('countTicks', () => {
  it.each([
    [0, [0, 1]],
    [3, [0, 1, 2, 3]],
    [7, [0, 2, 4, 6, 8]],
    [23, [0, 5, 10, 15, 20, 25]],
    [140, [0, 50, 100, 150]],
    [1200, [0, 500, 1000, 1500]],
  ])('%i → %j', (max, ticks) => {
    expect(countTicks(max)).toEqual(ticks);
  });
});

describe('summarizeTrend', () => {
  it('says where the open findings went, their peak, critical and high, and now', () => {
    expect(
      summarizeTrend([
        day('2026-11-21', 0, 1, 3),
        day('2026-11-22', 2, 3, 7),
        day('2026-11-23', 1, 2, 6),
      ]),
    ).toBe(
      'Over the last 3 days (2026-11-21 to 2026-11-23), open findings went from 4 to 9; the most was 12, on 2026-11-22. ' +
        'Critical and high went from 1 to 3. Open now: 1 critical, 2 high, 6 medium.',
    );
  });

  it('says when they stayed the same', () => {
    expect(
      summarizeTrend([day('2026-11-24', 0, 2), day('2026-11-25', 0, 1, 1)]),
    ).toBe(
      'Over the last 2 days (2026-11-24 to 2026-11-25), open findings stayed at 2. ' +
        'Critical and high went from 2 to 1. Open now: 1 high, 1 medium.',
    );
  });

  it('says when nothing was open', () => {
    expect(summarizeTrend([day('2026-11-25', 0, 0)])).toBe(
      'No finding was open in the last 1 day (2026-11-25 to 2026-11-25).',
    );
  });
});
