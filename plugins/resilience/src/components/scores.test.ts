import {
  CheckResult,
  CheckState,
  pillarScore,
  PillarId,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  distributionText,
  distributionTotal,
  entitiesText,
  meanText,
  noGradeReason,
  scoreText,
  topFailingChecks,
} from './scores';

const check = (id: string, state: CheckState): CheckResult => ({
  id,
  title: id,
  state,
  message: `${id} is ${state}`,
  evidence: [],
});

const pillar = (id: PillarId, checks: CheckResult[], weight = 1) =>
  pillarScore({ pillar: id, checks, weight });

describe('topFailingChecks', () => {
  it('puts every failing check before the warnings, in the order of the pillars, and stops at the limit', () => {
    const score = {
      pillars: [
        pillar('backups', [
          check('backup.rpo', 'warn'),
          check('backup.schedule', 'fail'),
          check('backup.retention', 'pass'),
        ]),
        pillar('certificates', [
          check('certificate.expiry', 'fail'),
          check('certificate.managed', 'unknown'),
          check('certificate.chain', 'warn'),
        ]),
      ],
    };
    expect(
      topFailingChecks({ score }).map(c => `${c.pillarTitle}: ${c.check.id}`),
    ).toEqual([
      'Backups: backup.schedule',
      'Certificates: certificate.expiry',
      'Backups: backup.rpo',
      'Certificates: certificate.chain',
    ]);
    expect(topFailingChecks({ score, limit: 3 }).map(c => c.check.id)).toEqual([
      'backup.schedule',
      'certificate.expiry',
      'backup.rpo',
    ]);
  });

  it('is empty when nothing fails or warns', () => {
    expect(
      topFailingChecks({
        score: { pillars: [pillar('backups', [check('a', 'pass')])] },
      }),
    ).toEqual([]);
  });
});

describe('noGradeReason', () => {
  it.each([
    [
      'no check at all',
      [pillar('backups', [])],
      'No check was computed for this entity yet: it is graded once its clusters were collected.',
    ],
    [
      'only unknown and not applicable checks',
      [
        pillar('backups', [check('a', 'unknown')]),
        pillar('recovery', [check('b', 'not-applicable')]),
      ],
      'No check could be scored: every check is unknown or not applicable, and those are never counted as a pass or a fail.',
    ],
    [
      'a score only in a pillar of weight 0',
      [pillar('backups', [check('a', 'pass')], 0)],
      'Only pillars of weight 0 have a score, and they do not count towards the grade.',
    ],
  ])('says why with %s', (_case, pillars, reason) => {
    expect(noGradeReason({ pillars })).toBe(reason);
  });
});

describe('the texts of scores and distributions', () => {
  it('says "no data" rather than 0 for a missing score', () => {
    expect(scoreText(0)).toBe('0');
    expect(scoreText(null)).toBe('no data');
    expect(meanText(72.5)).toBe('72.5');
    expect(meanText(null)).toBe('no score');
  });

  it('names the grades with entities, best first, those without grade last', () => {
    const distribution = { A: 2, B: 0, C: 1, D: 0, E: 0, F: 4, none: 3 };
    expect(distributionText(distribution)).toBe(
      '2 A, 1 C, 4 F, 3 without grade',
    );
    expect(distributionTotal(distribution)).toBe(10);
    expect(entitiesText(distributionTotal(distribution))).toBe('10 entities');
    expect(entitiesText(1)).toBe('1 entity');
    expect(
      distributionText({ A: 0, B: 0, C: 0, D: 0, E: 0, F: 0, none: 0 }),
    ).toBe('no entity');
  });
});
