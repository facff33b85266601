import {
  EntityScore,
  PillarScore,
  ScorePoint,
} from '@resilience-for-backstage/plugin-resilience-common';
import { historyWithCurrent } from './scoreKeeper';

const pillars = (value: number | null) => ({
  backups: value,
  recovery: null,
  certificates: null,
  'code-security': null,
});

const point = (date: string, value: number | null): ScorePoint => ({
  date,
  score: value,
  grade: value === null ? null : 'A',
  pillars: pillars(value),
});

const current: EntityScore = {
  entityRef: 'component:default/ledger',
  score: 67,
  grade: 'D',
  pillars: [
    { pillar: 'backups', score: 67 } as PillarScore,
    { pillar: 'recovery', score: null } as PillarScore,
    { pillar: 'certificates', score: null } as PillarScore,
    { pillar: 'code-security', score: null } as PillarScore,
  ],
};

const at = new Date('2026-12-02T15:00:00Z');

describe('historyWithCurrent', () => {
  it.each([
    {
      what: "replaces today's stored point, computed earlier, by the score just computed",
      history: [point('2026-12-01', 80), point('2026-12-02', 100)],
      expected: [
        ['2026-12-01', 80],
        ['2026-12-02', 67],
      ],
    },
    {
      what: 'adds today when nothing was stored today',
      history: [point('2026-11-30', 80)],
      expected: [
        ['2026-11-30', 80],
        ['2026-12-02', 67],
      ],
    },
    {
      what: 'adds today to an empty history',
      history: [],
      expected: [['2026-12-02', 67]],
    },
  ])('$what', ({ history, expected }) => {
    const result = historyWithCurrent({
      history,
      score: current,
      at,
      storable: true,
    });
    expect(result.map(p => [p.date, p.score])).toEqual(expected);
    expect(result[result.length - 1]).toEqual({
      date: '2026-12-02',
      score: 67,
      grade: 'D',
      pillars: pillars(67),
    });
  });

  it('leaves the stored points alone for a score that may not be stored', () => {
    const history = [point('2026-12-01', 80)];
    expect(
      historyWithCurrent({ history, score: current, at, storable: false }),
    ).toEqual(history);
  });
});
