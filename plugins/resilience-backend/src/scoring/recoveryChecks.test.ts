import { recoveryChecks, RestoreTestFacts } from './recoveryChecks';
import { DEFAULT_RECOVERY_TIER, RecoveryTier } from './policy';

const now = new Date('2026-12-02T12:00:00Z');
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(now.getTime() - d * DAY);

const test = (overrides: Partial<RestoreTestFacts> = {}): RestoreTestFacts => ({
  id: 't1',
  cluster: 'prod',
  backupName: 'daily-1',
  outcome: 'succeeded',
  finishedAt: daysAgo(3),
  rtoSeconds: 240,
  ...overrides,
});

const checks = (
  tests: RestoreTestFacts[],
  policy: RecoveryTier = { ...DEFAULT_RECOVERY_TIER, rtoMs: 10 * 60_000 },
  untrusted?: { rto?: string; maxTestAge?: string },
) =>
  Object.fromEntries(
    recoveryChecks({ now, policy, tests, untrusted, claims: 1 }).map(c => [
      c.id,
      c,
    ]),
  );

describe('recoveryChecks', () => {
  it('returns the two checks in their order', () => {
    expect(
      recoveryChecks({
        now,
        policy: DEFAULT_RECOVERY_TIER,
        tests: [],
        claims: 1,
      }).map(c => c.id),
    ).toEqual(['recovery.restore-test-age', 'recovery.rto']);
  });

  it.each<[string, RestoreTestFacts[], string, RegExp]>([
    ['no test at all', [], 'fail', /No restore test has been run/],
    [
      'only failed tests',
      [test({ outcome: 'failed', finishedAt: daysAgo(2) })],
      'fail',
      /No restore test has succeeded; the latest failed 2 d ago/,
    ],
    [
      'a success 3 days ago',
      [test()],
      'pass',
      /succeeded 3 d ago, within 30 d/,
    ],
    [
      'a success 40 days ago',
      [test({ finishedAt: daysAgo(40) })],
      'fail',
      /was 40 d ago, longer than 30 d/,
    ],
    [
      'an old success and a newer failure',
      [
        test({ finishedAt: daysAgo(10) }),
        test({ id: 't2', outcome: 'failed', finishedAt: daysAgo(1) }),
      ],
      'pass',
      /succeeded 10 d ago/,
    ],
    [
      'only cancelled tests',
      [test({ outcome: 'cancelled' })],
      'fail',
      /No restore test has been run/,
    ],
  ])('restore-test-age with %s: %s', (_, tests, state, message) => {
    const age = checks(tests)['recovery.restore-test-age'];
    expect(age.state).toBe(state);
    expect(age.message).toMatch(message);
  });

  it.each<[string, RestoreTestFacts[], number | undefined, string, RegExp]>([
    [
      'within the objective',
      [test()],
      10 * 60_000,
      'pass',
      /took 4 min, within the RTO of 10 min/,
    ],
    [
      'beyond the objective',
      [test({ rtoSeconds: 900 })],
      10 * 60_000,
      'fail',
      /took 15 min, longer than the RTO of 10 min/,
    ],
    [
      'the latest success counts, not the best',
      [
        test({ rtoSeconds: 60, finishedAt: daysAgo(9) }),
        test({ id: 't2', rtoSeconds: 900 }),
      ],
      10 * 60_000,
      'fail',
      /took 15 min/,
    ],
    [
      'no success to measure',
      [],
      10 * 60_000,
      'unknown',
      /No successful restore test has measured/,
    ],
    [
      'no objective',
      [test()],
      undefined,
      'not-applicable',
      /no recovery time objective/,
    ],
  ])('rto %s', (_, tests, rtoMs, state, message) => {
    const rto = checks(tests, { ...DEFAULT_RECOVERY_TIER, rtoMs })[
      'recovery.rto'
    ];
    expect(rto.state).toBe(state);
    expect(rto.message).toMatch(message);
  });

  it('says why a threshold cannot be trusted, never judging by a laxer one', () => {
    const results = checks([test()], undefined, {
      rto: 'resilience.io/rto: "soon" is not a duration',
      maxTestAge: 'resilience.io/tier is "gold"',
    });
    expect(results['recovery.rto']).toMatchObject({ state: 'unknown' });
    expect(results['recovery.rto'].message).toMatch(/"soon" is not a duration/);
    expect(results['recovery.restore-test-age']).toMatchObject({
      state: 'unknown',
    });
  });

  it('does not apply to an entity without claims: there is nothing to restore', () => {
    expect(
      recoveryChecks({
        now,
        policy: DEFAULT_RECOVERY_TIER,
        tests: [],
        claims: 0,
      }).map(c => c.state),
    ).toEqual(['not-applicable', 'not-applicable']);
  });

  it('names the test it judged by', () => {
    expect(checks([test()])['recovery.rto'].evidence).toEqual([
      {
        kind: 'restore-test',
        cluster: 'prod',
        namespace: '',
        name: 'daily-1',
        note: 'restore test t1: RTO 4 min',
      },
    ]);
  });

  it.each<[string, RestoreTestFacts[], number]>([
    ['shows no claim', [], 0],
    ['passes on the claims listed', [test()], 1],
  ])(
    'is unknown for an entity that %s while the claims of a cluster were never listed',
    (_, tests, claims) => {
      const results = recoveryChecks({
        now,
        policy: { ...DEFAULT_RECOVERY_TIER, rtoMs: 10 * 60_000 },
        tests,
        claims,
        claimsUnlistedIn: ['dr'],
      });
      expect(results.map(r => r.state)).toEqual(['unknown', 'unknown']);
      expect(results[0].message).toMatch(
        /have not been collected yet from cluster dr/,
      );
    },
  );
});
