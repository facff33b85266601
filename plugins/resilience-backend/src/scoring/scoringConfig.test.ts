import { ConfigReader } from '@backstage/config';
import { readScoringConfig } from './scoringConfig';

const read = (scoring?: object) =>
  readScoringConfig(
    new ConfigReader(scoring ? { resilience: { scoring } } : {}),
  );

describe('readScoringConfig', () => {
  it('weighs every pillar 1 and grades by 90, 80, 70, 60 and 50 unless told', () => {
    expect(read()).toEqual({
      weights: {
        backups: 1,
        recovery: 1,
        certificates: 1,
        'code-security': 1,
      },
      gradeBounds: { A: 90, B: 80, C: 70, D: 60, E: 50 },
    });
  });

  it('reads weights, codeSecurity for the code-security pillar, and bounds', () => {
    expect(
      read({
        weights: { backups: 3, codeSecurity: 0.5, recovery: 0 },
        grades: { A: 95, B: 85 },
      }),
    ).toEqual({
      weights: {
        backups: 3,
        recovery: 0,
        certificates: 1,
        'code-security': 0.5,
      },
      gradeBounds: { A: 95, B: 85, C: 70, D: 60, E: 50 },
    });
  });

  it.each<[object, RegExp]>([
    [
      { weights: { backups: -1 } },
      /resilience\.scoring\.weights\.backups must be a number from 0 to 100/,
    ],
    [
      {
        weights: { backups: 0, recovery: 0, certificates: 0, codeSecurity: 0 },
      },
      /at least one pillar needs a weight above 0/,
    ],
    [
      { grades: { A: 120 } },
      /resilience\.scoring\.grades\.A must be a score from 0 to 100/,
    ],
    [
      { grades: { A: 75 } },
      /resilience\.scoring\.grades\.B is 80: each grade's lowest score must be below/,
    ],
    [{ grades: { C: 'high' } }, /grades\.C/],
  ])('refuses %j, naming the key', (scoring, message) => {
    expect(() => read(scoring)).toThrow(message);
  });
});
