import { ConfigReader } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import {
  BUILT_IN_POLICIES,
  DEFAULT_CERTIFICATE_TIER,
  DEFAULT_RECOVERY_TIER,
  DEFAULT_SAST_TIER,
  readPolicyConfig,
  resolveCertificatePolicy,
  policyOfEntity,
  resolvePolicy,
  resolveRecoveryPolicy,
  resolveSastPolicy,
  untrustedSastThresholds,
} from './policy';

const H = 3_600_000;
const D = 24 * H;

const config = (policies?: unknown) =>
  new ConfigReader(policies === undefined ? {} : { resilience: { policies } });

const tiers = {
  critical: { rpo: { hours: 1 }, retention: 'P30D', recentBackups: 10 },
  standard: { rpo: { hours: 24 }, retention: { days: 7 } },
};

describe('readPolicyConfig', () => {
  it('uses the built-in standard tier when nothing is configured', () => {
    expect(readPolicyConfig(config())).toEqual(BUILT_IN_POLICIES);
    expect(BUILT_IN_POLICIES.tiers.standard).toEqual({
      rpoMs: 24 * H,
      retentionMs: 7 * D,
      recentBackups: 5,
      certificates: {
        expiryWarningMs: 28 * D,
        expiryFailureMs: 14 * D,
        maxLifetimeMs: 90 * D,
      },
      sast: {
        highFindingSlaMs: 30 * D,
        scanMaxAgeMs: 7 * D,
        requiredTools: [],
      },
      recovery: { maxTestAgeMs: 30 * D },
      excludedChecks: [],
    });
  });

  it('reads named tiers, durations as objects or ISO 8601, and the default tier', () => {
    expect(
      readPolicyConfig(config({ defaultTier: 'standard', tiers })),
    ).toEqual({
      defaultTier: 'standard',
      tiers: {
        critical: {
          rpoMs: H,
          retentionMs: 30 * D,
          recentBackups: 10,
          certificates: DEFAULT_CERTIFICATE_TIER,
          sast: DEFAULT_SAST_TIER,
          recovery: DEFAULT_RECOVERY_TIER,
          excludedChecks: [],
        },
        standard: {
          rpoMs: 24 * H,
          retentionMs: 7 * D,
          recentBackups: 5,
          certificates: DEFAULT_CERTIFICATE_TIER,
          sast: DEFAULT_SAST_TIER,
          recovery: DEFAULT_RECOVERY_TIER,
          excludedChecks: [],
        },
      },
    });
  });

  it('makes a single tier the default', () => {
    expect(
      readPolicyConfig(config({ tiers: { gold: tiers.critical } })).defaultTier,
    ).toBe('gold');
  });

  it.each([
    [
      { tiers },
      /defaultTier is needed when there are several tiers; one of critical, standard/,
    ],
    [
      { defaultTier: 'gold', tiers },
      /defaultTier is "gold", which is not a tier; the tiers are critical, standard/,
    ],
    [{ tiers: { x: { retention: { days: 1 } } } }, /tiers\.x\.rpo is missing/],
    [
      { tiers: { x: { rpo: { hours: 0 }, retention: { days: 1 } } } },
      /tiers\.x\.rpo must be a positive duration/,
    ],
    [
      { tiers: { x: { rpo: 'often', retention: { days: 1 } } } },
      /tiers\.x\.rpo is not a duration/,
    ],
    [
      { tiers: { x: { ...tiers.standard, recentBackups: 0 } } },
      /tiers\.x\.recentBackups must be a whole number from 1 to 100, not 0/,
    ],
    [
      { tiers: { Gold: tiers.standard } },
      /tiers\.Gold: a tier name is lowercase/,
    ],
    [{ tiers: {} }, /at least one tier/],
    [
      {
        tiers: {
          x: { ...tiers.standard, certificates: { expiryWarning: 'soon' } },
        },
      },
      /tiers\.x\.certificates\.expiryWarning is not a duration/,
    ],
    [
      {
        tiers: {
          x: { ...tiers.standard, certificates: { maxLifetime: { days: 0 } } },
        },
      },
      /tiers\.x\.certificates\.maxLifetime must be a positive duration/,
    ],
    [
      {
        tiers: {
          x: {
            ...tiers.standard,
            certificates: { expiryWarning: 'P7D', expiryFailure: 'P7D' },
          },
        },
      },
      /tiers\.x\.certificates\.expiryWarning \(7 days\) must be larger than resilience\.policies\.tiers\.x\.certificates\.expiryFailure \(7 days\)/,
    ],
    [
      {
        tiers: {
          x: {
            ...tiers.standard,
            certificates: { expiryFailure: { days: 30 } },
          },
        },
      },
      /expiryWarning \(28 days, the default\) must be larger than .*expiryFailure \(30 days\)/,
    ],
  ])('refuses %j, naming the key', (policies, message) => {
    expect(() => readPolicyConfig(config(policies))).toThrow(message);
  });

  it.each([
    [undefined, DEFAULT_CERTIFICATE_TIER],
    [{}, DEFAULT_CERTIFICATE_TIER],
    [
      {
        expiryWarning: { days: 45 },
        expiryFailure: 'P21D',
        maxLifetime: 'P397D',
      },
      {
        expiryWarningMs: 45 * D,
        expiryFailureMs: 21 * D,
        maxLifetimeMs: 397 * D,
      },
    ],
    [
      { expiryFailure: { days: 7 } },
      { ...DEFAULT_CERTIFICATE_TIER, expiryFailureMs: 7 * D },
    ],
    [
      {
        maxLifetime: { hours: 24 },
        expiryWarning: 'PT8H',
        expiryFailure: 'PT4H',
      },
      { expiryWarningMs: 8 * H, expiryFailureMs: 4 * H, maxLifetimeMs: 24 * H },
    ],
  ])(
    'reads certificates %j of a tier, defaulting each key',
    (certificates, expected) => {
      expect(
        readPolicyConfig(
          config({ tiers: { gold: { ...tiers.standard, certificates } } }),
        ).tiers.gold.certificates,
      ).toEqual(expected);
    },
  );
});

const entity = (annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'ledger', annotations },
});

describe('resolvePolicy', () => {
  const policies = readPolicyConfig(config({ defaultTier: 'standard', tiers }));

  it.each([
    [{}, 'standard', 24 * 3600, 7 * 86400, []],
    [{ 'resilience.io/tier': 'critical' }, 'critical', 3600, 30 * 86400, []],
    [
      { 'resilience.io/rpo': '4h', 'resilience.io/retention': 'P14D' },
      'standard',
      4 * 3600,
      14 * 86400,
      ['resilience.io/rpo', 'resilience.io/retention'],
    ],
    [
      { 'resilience.io/tier': 'critical', 'resilience.io/rpo': '15m' },
      'critical',
      900,
      30 * 86400,
      ['resilience.io/rpo'],
    ],
  ])(
    'resolves %j to tier %s',
    (annotations, tier, rpoSeconds, retentionSeconds, overriddenBy) => {
      expect(resolvePolicy(entity(annotations), policies)).toEqual({
        policy: {
          tier,
          rpoSeconds,
          retentionSeconds,
          recentBackups: tier === 'critical' ? 10 : 5,
          overriddenBy,
          problems: [],
        },
        rpoKnown: true,
        retentionKnown: true,
      });
    },
  );

  it('never falls back silently to a laxer policy: a wrong RPO is unknown, with the reason', () => {
    const resolved = resolvePolicy(
      entity({ 'resilience.io/rpo': '1 hour' }),
      policies,
    );
    expect(resolved.rpoKnown).toBe(false);
    expect(resolved.retentionKnown).toBe(true);
    expect(resolved.policy.problems).toEqual([
      expect.stringMatching(/^resilience\.io\/rpo: "1 hour" is not a duration/),
    ]);
  });

  it('names the configured tiers when the tier is unknown, and trusts only what overrides it', () => {
    const resolved = resolvePolicy(
      entity({ 'resilience.io/tier': 'gold', 'resilience.io/rpo': '1h' }),
      policies,
    );
    expect(resolved.policy.tier).toBe('standard');
    expect(resolved.policy.problems).toEqual([
      'resilience.io/tier is "gold", which is not a configured tier; use one of critical, standard',
    ]);
    expect(resolved.rpoKnown).toBe(true);
    expect(resolved.policy.rpoSeconds).toBe(3600);
    expect(resolved.retentionKnown).toBe(false);
  });
});

describe('resolveCertificatePolicy', () => {
  const policies = readPolicyConfig(
    config({
      defaultTier: 'standard',
      tiers: {
        ...tiers,
        critical: {
          ...tiers.critical,
          certificates: {
            expiryWarning: { days: 45 },
            expiryFailure: { days: 21 },
          },
        },
      },
    }),
  );

  it.each([
    [{}, 28 * 86400, 14 * 86400],
    [{ 'resilience.io/tier': 'critical' }, 45 * 86400, 21 * 86400],
    [{ 'resilience.io/tier': ' critical ' }, 45 * 86400, 21 * 86400],
    [{ 'resilience.io/rpo': '1h' }, 28 * 86400, 14 * 86400],
  ])(
    'holds %j to the thresholds of its tier',
    (annotations, warning, failure) => {
      expect(resolveCertificatePolicy(entity(annotations), policies)).toEqual({
        policy: {
          expiryWarningSeconds: warning,
          expiryFailureSeconds: failure,
          maxLifetimeSeconds: 90 * 86400,
        },
        expiryKnown: true,
        lifetimeKnown: true,
        overriddenBy: [],
        problems: [],
      });
    },
  );

  it('takes single thresholds from annotations over the tier', () => {
    expect(
      resolveCertificatePolicy(
        entity({
          'resilience.io/tier': 'critical',
          'resilience.io/certificate-expiry-failure': '10d',
          'resilience.io/certificate-max-lifetime': '397d',
        }),
        policies,
      ),
    ).toEqual({
      policy: {
        expiryWarningSeconds: 45 * 86400,
        expiryFailureSeconds: 10 * 86400,
        maxLifetimeSeconds: 397 * 86400,
      },
      expiryKnown: true,
      lifetimeKnown: true,
      overriddenBy: [
        'resilience.io/certificate-expiry-failure',
        'resilience.io/certificate-max-lifetime',
      ],
      problems: [],
    });
  });

  it.each([
    [
      { 'resilience.io/certificate-max-lifetime': 'a year' },
      { expiryKnown: true, lifetimeKnown: false },
      /^resilience\.io\/certificate-max-lifetime: "a year" is not a duration/,
    ],
    [
      { 'resilience.io/certificate-expiry-warning': '-1d' },
      { expiryKnown: false, lifetimeKnown: true },
      /^resilience\.io\/certificate-expiry-warning: /,
    ],
    [
      { 'resilience.io/certificate-expiry-warning': '7d' },
      { expiryKnown: false, lifetimeKnown: true },
      /^the certificate expiry warning \(7 d\) must come before the failure \(14 d\)/,
    ],
  ])(
    'makes only what %j sets unknown, with the reason',
    (annotations, known, problem) => {
      const resolved = resolveCertificatePolicy(entity(annotations), policies);
      expect(resolved).toMatchObject(known);
      expect(resolved.problems).toEqual([expect.stringMatching(problem)]);
    },
  );

  it('does not trust the default tier when the entity names an unknown one', () => {
    const resolved = resolveCertificatePolicy(
      entity({ 'resilience.io/tier': 'gold' }),
      policies,
    );
    expect(resolved.expiryKnown).toBe(false);
    expect(resolved.lifetimeKnown).toBe(false);
    expect(resolved.policy.expiryWarningSeconds).toBe(28 * 86400);
    expect(resolved.problems).toEqual([
      'resilience.io/tier is "gold", which is not a configured tier; use one of critical, standard',
    ]);
  });

  it('uses the built-in thresholds when no policy is configured', () => {
    expect(
      resolveCertificatePolicy(entity(), BUILT_IN_POLICIES).policy,
    ).toEqual({
      expiryWarningSeconds: 28 * 86400,
      expiryFailureSeconds: 14 * 86400,
      maxLifetimeSeconds: 90 * 86400,
    });
  });
});

describe('the sast thresholds of a tier', () => {
  const tier = { rpo: 'PT1H', retention: 'P1D' };

  it('reads them, each key defaulting', () => {
    expect(
      readPolicyConfig(
        config({
          tiers: {
            gold: {
              ...tier,
              sast: { highFindingSla: 'P14D', requiredTools: ['secretlint'] },
            },
          },
        }),
      ).tiers.gold.sast,
    ).toEqual({
      highFindingSlaMs: 14 * D,
      scanMaxAgeMs: 7 * D,
      requiredTools: ['secretlint'],
    });
  });

  it.each([
    [
      { scanMaxAge: 'soon' },
      /resilience\.policies\.tiers\.gold\.sast\.scanMaxAge is not a duration/,
    ],
    [
      { highFindingSla: 'PT0S' },
      /sast\.highFindingSla must be a positive duration/,
    ],
    [{ requiredTools: [' '] }, /sast\.requiredTools: a tool is named/],
  ])('refuses %j at start-up, naming the key', (sast, message) => {
    expect(() =>
      readPolicyConfig(config({ tiers: { gold: { ...tier, sast } } })),
    ).toThrow(message);
  });
});

describe('resolveSastPolicy', () => {
  const policies = readPolicyConfig(config({ defaultTier: 'standard', tiers }));

  it('takes single thresholds from annotations over the tier', () => {
    const resolved = resolveSastPolicy(
      entity({
        'resilience.io/sast-high-finding-sla': '14d',
        'resilience.io/sast-scan-max-age': 'P1D',
      }),
      policies,
    );
    expect(resolved).toEqual({
      tier: 'standard',
      policy: { highFindingSlaMs: 14 * D, scanMaxAgeMs: D, requiredTools: [] },
      highFindingSlaKnown: true,
      scanMaxAgeKnown: true,
      overriddenBy: [
        'resilience.io/sast-high-finding-sla',
        'resilience.io/sast-scan-max-age',
      ],
      problems: [],
    });
    expect(untrustedSastThresholds(resolved)).toEqual({});
  });

  it('makes a wrong annotation its threshold unknown, with the reason, and leaves the other', () => {
    const resolved = resolveSastPolicy(
      entity({ 'resilience.io/sast-scan-max-age': 'weekly' }),
      policies,
    );
    expect(resolved.highFindingSlaKnown).toBe(true);
    expect(resolved.scanMaxAgeKnown).toBe(false);
    expect(untrustedSastThresholds(resolved)).toEqual({
      scanMaxAge: expect.stringMatching(
        /^resilience\.io\/sast-scan-max-age: "weekly" is not a duration/,
      ),
    });
  });

  it('trusts only what an annotation sets when the tier is unknown', () => {
    const resolved = resolveSastPolicy(
      entity({
        'resilience.io/tier': 'gold',
        'resilience.io/sast-high-finding-sla': '3d',
      }),
      policies,
    );
    expect(resolved.highFindingSlaKnown).toBe(true);
    expect(resolved.scanMaxAgeKnown).toBe(false);
    expect(untrustedSastThresholds(resolved).scanMaxAge).toMatch(
      /resilience\.io\/tier is "gold"/,
    );
  });
});

describe('policyOfEntity', () => {
  const policies = readPolicyConfig(config({ defaultTier: 'standard', tiers }));

  it('says every overriding and every wrong annotation once, whichever pillar it is of', () => {
    const { policy, rpoKnown } = policyOfEntity(
      entity({
        'resilience.io/tier': 'gold',
        'resilience.io/rpo': '2h',
        'resilience.io/certificate-max-lifetime': 'long',
        'resilience.io/sast-high-finding-sla': '14d',
      }),
      policies,
    );
    expect(rpoKnown).toBe(true);
    expect(policy.overriddenBy).toEqual([
      'resilience.io/rpo',
      'resilience.io/sast-high-finding-sla',
    ]);
    expect(policy.problems).toEqual([
      'resilience.io/tier is "gold", which is not a configured tier; use one of critical, standard',
      expect.stringMatching(
        /^resilience\.io\/certificate-max-lifetime: "long"/,
      ),
    ]);
  });
});

describe('resolveRecoveryPolicy', () => {
  const policies = readPolicyConfig(
    config({
      defaultTier: 'standard',
      tiers: {
        ...tiers,
        critical: {
          ...tiers.critical,
          recovery: { rto: { minutes: 30 }, maxTestAge: { days: 7 } },
        },
      },
    }),
  );

  it.each<[Record<string, string>, object]>([
    [
      {},
      {
        policy: { maxTestAgeMs: 30 * D },
        rtoKnown: true,
        maxTestAgeKnown: true,
      },
    ],
    [
      { 'resilience.io/tier': 'critical' },
      { policy: { rtoMs: 30 * 60_000, maxTestAgeMs: 7 * D }, rtoKnown: true },
    ],
    [
      { 'resilience.io/rto': '2h' },
      { policy: { rtoMs: 2 * H, maxTestAgeMs: 30 * D }, rtoKnown: true },
    ],
    [
      { 'resilience.io/tier': 'critical', 'resilience.io/rto': '10m' },
      { policy: { rtoMs: 10 * 60_000, maxTestAgeMs: 7 * D }, rtoKnown: true },
    ],
    [
      { 'resilience.io/rto': 'fast' },
      { rtoKnown: false, maxTestAgeKnown: true },
    ],
    [
      { 'resilience.io/tier': 'gold' },
      { rtoKnown: false, maxTestAgeKnown: false },
    ],
  ])('resolves %j', (annotations, expected) => {
    expect(resolveRecoveryPolicy(entity(annotations), policies)).toMatchObject(
      expected,
    );
  });

  it('refuses a wrong recovery setting at start-up, naming the key', () => {
    expect(() =>
      readPolicyConfig(
        config({
          tiers: {
            gold: { rpo: 'PT1H', retention: 'P1D', recovery: { rto: 'soon' } },
          },
        }),
      ),
    ).toThrow(
      /resilience\.policies\.tiers\.gold\.recovery\.rto is not a duration/,
    );
  });
});
