import { CheckResult, CheckState } from './types';
import {
  DEFAULT_GRADE_BOUNDS,
  entityScore,
  gradeOf,
  pillarScore,
  PillarScore,
} from './scores';

const check = (state: CheckState): CheckResult => ({
  id: 'backup.rpo',
  title: 'RPO',
  state,
  message: state,
  evidence: [],
});

describe('pillarScore', () => {
  it.each<[CheckState[], number | null]>([
    [[], null],
    [['unknown', 'not-applicable'], null],
    [['pass'], 100],
    [['fail'], 0],
    [['pass', 'warn'], 75],
    [['pass', 'warn', 'fail'], 50],
    // Unknown is not a pass: it is left out, not counted as one.
    [['pass', 'unknown', 'unknown'], 100],
    [['fail', 'not-applicable'], 0],
    [['pass', 'pass', 'warn'], 83],
  ])('scores %j as %p', (states, expected) => {
    const scored = pillarScore({
      pillar: 'backups',
      checks: states.map(check),
      weight: 1,
    });
    expect(scored.score).toBe(expected);
    expect(scored.title).toBe('Backups');
    expect(Object.values(scored.counts).reduce((a, b) => a + b, 0)).toBe(
      states.length,
    );
    expect(scored.counts.unknown).toBe(
      states.filter(s => s === 'unknown').length,
    );
  });
});

describe('gradeOf', () => {
  it.each<[number | null, string | null]>([
    [null, null],
    [100, 'A'],
    [90, 'A'],
    [89, 'B'],
    [80, 'B'],
    [70, 'C'],
    [60, 'D'],
    [50, 'E'],
    [49, 'F'],
    [0, 'F'],
  ])('grades %p as %p', (score, grade) => {
    expect(gradeOf(score, DEFAULT_GRADE_BOUNDS)).toBe(grade);
  });

  it('follows configured bounds', () => {
    expect(gradeOf(85, { A: 85, B: 70, C: 55, D: 40, E: 25 })).toBe('A');
    expect(gradeOf(30, { A: 85, B: 70, C: 55, D: 40, E: 25 })).toBe('E');
  });
});

describe('entityScore', () => {
  const pillar = (
    id: PillarScore['pillar'],
    score: number | null,
    weight = 1,
  ): PillarScore => ({
    pillar: id,
    title: id,
    score,
    weight,
    counts: { pass: 0, warn: 0, fail: 0, unknown: 0, 'not-applicable': 0 },
    checks: [],
  });

  it.each<[string, PillarScore[], number | null, string | null]>([
    [
      'no data at all: no grade, not an F',
      [pillar('backups', null)],
      null,
      null,
    ],
    [
      'the mean of the pillars with data',
      [
        pillar('backups', 100),
        pillar('certificates', 50),
        pillar('recovery', null),
      ],
      75,
      'C',
    ],
    [
      'weighted',
      [pillar('backups', 100, 3), pillar('code-security', 0, 1)],
      75,
      'C',
    ],
    [
      'a pillar of weight 0 does not count',
      [pillar('backups', 95, 1), pillar('code-security', 0, 0)],
      95,
      'A',
    ],
  ])('%s', (_, pillars, score, grade) => {
    const scored = entityScore({ entityRef: 'component:default/x', pillars });
    expect(scored.score).toBe(score);
    expect(scored.grade).toBe(grade);
  });
});
