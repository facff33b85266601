import { Entity } from '@backstage/catalog-model';
import {
  CheckResult,
  CheckState,
} from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceCheck } from '@resilience-for-backstage/plugin-resilience-node';
import { ConfigReader } from '@backstage/config';
import { CheckRegistry, scoreEntity } from './scorecard';
import { readScoringConfig } from './scoringConfig';
import { assertExcludedChecksKnown, readPolicyConfig } from './policy';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', namespace: 'default' },
};

const check = (id: string, state: CheckState): CheckResult => ({
  id,
  title: id,
  state,
  message: `${id} is ${state}`,
  evidence: [],
});

/** An entity's built-in checks by pillar. */
const checks = (lists: {
  backups?: CheckResult[];
  certificates?: CheckResult[];
  code?: CheckResult[];
  recovery?: CheckResult[];
}) => ({
  backups: lists.backups ?? [],
  certificates: lists.certificates ?? [],
  'code-security': lists.code ?? [],
  recovery: lists.recovery ?? [],
});

const scoring = readScoringConfig(new ConfigReader({}));
const now = new Date('2026-11-25T12:00:00Z');

describe('scoreEntity', () => {
  it('scores each pillar from its checks and the entity from the pillars with data', async () => {
    const score = await scoreEntity({
      entity,
      checks: checks({
        backups: [
          check('backup.rpo', 'pass'),
          check('backup.schedule', 'fail'),
        ],
        certificates: [check('certificate.expiry', 'pass')],
        code: [check('sast.open-critical', 'unknown')],
      }),
      tier: 'standard',
      excludedChecks: [],
      registry: new CheckRegistry(),
      scoring,
      now,
    });
    expect(score.pillars.map(p => [p.pillar, p.score])).toEqual([
      ['backups', 50],
      ['recovery', null],
      ['certificates', 100],
      ['code-security', null],
    ]);
    expect(score.pillars[3].counts.unknown).toBe(1);
    expect(score).toMatchObject({ score: 75, grade: 'C' });
  });

  it('has no grade for an entity without any data', async () => {
    const score = await scoreEntity({
      entity,
      checks: checks({
        backups: [check('backup.rpo', 'not-applicable')],
        code: [check('sast.open-critical', 'unknown')],
      }),
      tier: 'standard',
      excludedChecks: [],
      registry: new CheckRegistry(),
      scoring,
      now,
    });
    expect(score).toMatchObject({ score: null, grade: null });
  });

  it('makes a check the tier excludes not applicable, saying why', async () => {
    const score = await scoreEntity({
      entity,
      checks: checks({
        backups: [
          check('backup.rpo', 'pass'),
          check('backup.schedule', 'fail'),
        ],
      }),
      tier: 'best-effort',
      excludedChecks: ['backup.schedule'],
      registry: new CheckRegistry(),
      scoring,
      now,
    });
    const schedule = score.pillars[0].checks[1];
    expect(schedule).toMatchObject({
      id: 'backup.schedule',
      state: 'not-applicable',
      message: expect.stringContaining(
        'resilience.policies.tiers.best-effort.checks.exclude',
      ),
    });
    expect(score.pillars[0].score).toBe(100);
  });

  it('adds the checks of other modules to their pillar, an error making one unknown', async () => {
    const registry = new CheckRegistry();
    const seen: string[] = [];
    const added: ResilienceCheck[] = [
      {
        id: 'acme.restore-drill',
        pillar: 'recovery',
        title: 'Restore drill this quarter',
        evaluate: async ({ entity: e, tier }) => {
          seen.push(`${e.metadata.name}/${tier}`);
          return { state: 'warn', message: 'Last drill 80 days ago.' };
        },
      },
      {
        id: 'acme.broken',
        pillar: 'recovery',
        title: 'Broken',
        evaluate: async () => {
          throw new Error('the drill API is down');
        },
      },
    ];
    added.forEach(c => registry.add(c));
    const score = await scoreEntity({
      entity,
      checks: checks({}),
      tier: 'standard',
      excludedChecks: [],
      registry,
      scoring,
      now,
    });
    expect(seen).toEqual(['ledger/standard']);
    expect(score.pillars[1].checks).toEqual([
      {
        id: 'acme.restore-drill',
        title: 'Restore drill this quarter',
        state: 'warn',
        message: 'Last drill 80 days ago.',
        evidence: [],
      },
      expect.objectContaining({
        id: 'acme.broken',
        state: 'unknown',
        message: 'The check could not run: the drill API is down',
      }),
    ]);
    expect(score).toMatchObject({ score: 50, grade: 'E' });
  });
});

describe('CheckRegistry', () => {
  const evaluate = async () => ({ state: 'pass' as const, message: '' });

  it.each<[Partial<ResilienceCheck>, RegExp]>([
    [{ id: 'backup.rpo' }, /Two checks .* "backup\.rpo"/],
    [{ id: 'Acme Check' }, /ids are lowercase letters/],
    [
      { id: 'acme.x', pillar: 'uptime' as never },
      /the pillars are backups, recovery/,
    ],
  ])('refuses %j', (overrides, message) => {
    const registry = new CheckRegistry();
    expect(() =>
      registry.add({
        id: 'acme.x',
        pillar: 'backups',
        title: 'x',
        evaluate,
        ...overrides,
      }),
    ).toThrow(message);
  });

  it('lets a tier exclude only checks that exist, added ones included', () => {
    const registry = new CheckRegistry();
    registry.add({ id: 'acme.x', pillar: 'backups', title: 'x', evaluate });
    const policies = (exclude: string[]) =>
      readPolicyConfig(
        new ConfigReader({
          resilience: {
            policies: {
              tiers: {
                lab: { rpo: '1d', retention: '7d', checks: { exclude } },
              },
            },
          },
        }),
      );
    expect(() =>
      assertExcludedChecksKnown(
        policies(['acme.x', 'backup.schedule']),
        registry.ids(),
      ),
    ).not.toThrow();
    expect(() =>
      assertExcludedChecksKnown(policies(['backup.shedule']), registry.ids()),
    ).toThrow(
      /resilience\.policies\.tiers\.lab\.checks\.exclude names "backup\.shedule", which is not a check; the checks are backup\.pvc-coverage/,
    );
  });
});
