import { dayTicks, scoreSegments, summarizeScoreTrend } from './scoreTrend';

const day = (d: number) => `2026-11-${String(d).padStart(2, '0')}`;

describe('scoreSegments', () => {
  it('breaks the line at a day without score and at a missing day, never drawing them as 0', () => {
    const segments = scoreSegments([
      { date: day(1), score: 60 },
      { date: day(2), score: 70 },
      { date: day(3), score: null },
      { date: day(4), score: 80 },
      { date: day(6), score: 90 },
      { date: day(7), score: 85 },
    ]);
    expect(segments.map(s => s.map(p => p.score))).toEqual([
      [60, 70],
      [80],
      [90, 85],
    ]);
    expect(segments[1][0].time).toBe(Date.parse('2026-11-04T00:00:00Z'));
  });
});

describe('summarizeScoreTrend', () => {
  it('says how the score went, with its lowest and highest', () => {
    expect(
      summarizeScoreTrend({
        what: 'the score',
        points: [
          { date: day(1), score: 60 },
          { date: day(2), score: 40 },
          { date: day(3), score: null },
          { date: day(4), score: 75 },
        ],
      }),
    ).toBe(
      'From 2026-11-01 to 2026-11-04, the score went from 60 to 75; lowest 40, highest 75.',
    );
  });

  it('says when there is nothing or a single day', () => {
    expect(summarizeScoreTrend({ what: 'the mean score', points: [] })).toBe(
      'No trend yet: no day has the mean score.',
    );
    expect(
      summarizeScoreTrend({
        what: 'the score',
        points: [{ date: day(1), score: null }],
      }),
    ).toBe('No day of the 1 shown has the score.');
    expect(
      summarizeScoreTrend({
        what: 'the score',
        points: [{ date: day(2), score: 81 }],
      }),
    ).toBe('The score was 81 on 2026-11-02, the only day with one.');
  });
});

describe('dayTicks', () => {
  const t = (d: number) => Date.parse(`${day(d)}T00:00:00Z`);

  it('labels whole days only, every day when they fit and every few days when not', () => {
    expect(dayTicks({ start: t(1), end: t(3), most: 10 })).toEqual([
      t(1),
      t(2),
      t(3),
    ]);
    expect(dayTicks({ start: t(1), end: t(30), most: 5 })).toEqual([
      t(1),
      t(7),
      t(13),
      t(19),
      t(25),
    ]);
  });
});
