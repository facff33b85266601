import {
  dailyTrend,
  emptyDistribution,
  summarise,
  trendStart,
} from './scorecardStats';

describe('summarise', () => {
  it.each([
    ['nothing', [], {}, null],
    [
      'no score: counted as none, not in the mean',
      [{ score: null, grade: null }],
      { none: 1 },
      null,
    ],
    [
      'a mean to one decimal',
      [
        { score: 95, grade: 'A' as const },
        { score: 40, grade: 'F' as const },
        { score: null, grade: null },
      ],
      { A: 1, F: 1, none: 1 },
      67.5,
    ],
    [
      'a third',
      [
        { score: 90, grade: 'A' as const },
        { score: 90, grade: 'A' as const },
        { score: 91, grade: 'A' as const },
      ],
      { A: 3 },
      90.3,
    ],
  ])('%s', (_name, scored, counts, meanScore) => {
    expect(summarise(scored)).toEqual({
      distribution: { ...emptyDistribution(), ...counts },
      meanScore,
    });
  });
});

describe('trendStart', () => {
  it.each([
    ['2026-11-25T23:59:00Z', 1, '2026-11-25T00:00:00.000Z'],
    ['2026-11-25T00:00:00Z', 1, '2026-11-25T00:00:00.000Z'],
    ['2026-11-25T12:00:00Z', 90, '2026-08-28T00:00:00.000Z'],
    ['2026-03-01T12:00:00Z', 2, '2026-02-28T00:00:00.000Z'],
  ])('from %s, over %i days: %s', (now, days, start) => {
    expect(trendStart({ days, now: new Date(now) }).toISOString()).toBe(start);
  });
});

describe('dailyTrend', () => {
  it('has one point per day, today last, each summarising the points of its day', () => {
    const trend = dailyTrend({
      points: [
        { date: '2026-11-23', score: 40, grade: 'F' },
        { date: '2026-11-23', score: 80, grade: 'B' },
        { date: '2026-11-25', score: null, grade: null },
        // Before the trend: left out.
        { date: '2026-11-22', score: 10, grade: 'F' },
      ],
      days: 3,
      now: new Date('2026-11-25T08:00:00Z'),
    });
    expect(trend).toEqual([
      {
        date: '2026-11-23',
        meanScore: 60,
        distribution: { ...emptyDistribution(), B: 1, F: 1 },
      },
      {
        date: '2026-11-24',
        meanScore: null,
        distribution: emptyDistribution(),
      },
      {
        date: '2026-11-25',
        meanScore: null,
        distribution: { ...emptyDistribution(), none: 1 },
      },
    ]);
  });
});
