import {
  CERTIFICATE_CHECK_IDS,
  CertificateCheckId,
  CheckResult,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  CertificateFact,
  IssuerFact,
  TlsSecretFact,
  X509Fact,
} from '../database/types';
import {
  CertificateCheckInput,
  CertificateItem,
  certificateChecks,
  certificateOutcomes,
  CertificateSource,
  renewalTimeOf,
  scheduledRenewal,
} from './certificateChecks';
import { ResolvedCertificatePolicy } from './policy';
import { FlipTimes } from './flips';

const S = 1000;
const H = 3_600_000;
const D = 24 * H;
const now = new Date('2026-11-25T12:00:00Z');
/** A time `ms` from now; negative is in the past. */
const at = (ms: number) => new Date(now.getTime() + ms);

const x509 = (overrides: Partial<X509Fact> = {}): X509Fact => ({
  subject: 'CN=pay.example.com',
  issuer: 'CN=Example Intermediate',
  serialNumber: '0A1B',
  dnsNames: ['pay.example.com'],
  ipAddresses: [],
  notBefore: at(-30 * D),
  notAfter: at(60 * D),
  keyType: 'ec',
  keySize: 256,
  curve: 'prime256v1',
  signatureAlgorithm: 'ecdsa-with-SHA256',
  selfSigned: false,
  isCa: false,
  fingerprintSha256: 'AA:BB',
  ...overrides,
});

const root = (overrides: Partial<X509Fact> = {}): X509Fact =>
  x509({
    subject: 'CN=Example Root',
    issuer: 'CN=Example Root',
    keyType: 'rsa',
    keySize: 4096,
    curve: undefined,
    signatureAlgorithm: 'sha256WithRSAEncryption',
    selfSigned: true,
    isCa: true,
    notAfter: at(3650 * D),
    ...overrides,
  });

const secretOf = (
  name: string,
  overrides: Partial<TlsSecretFact> = {},
): TlsSecretFact => ({
  cluster: 'prod',
  uid: `uid-secret-${name}`,
  namespace: 'payments',
  name,
  labels: {},
  certificateName: name,
  issuerName: 'letsencrypt',
  issuerKind: 'ClusterIssuer',
  chain: [x509()],
  ...overrides,
});

const certificateOf = (
  name: string,
  overrides: Partial<CertificateFact> = {},
): CertificateFact => ({
  cluster: 'prod',
  uid: `uid-${name}`,
  namespace: 'payments',
  name,
  labels: {},
  secretName: name,
  dnsNames: ['pay.example.com'],
  issuerRef: { kind: 'ClusterIssuer', name: 'letsencrypt' },
  rotationPolicy: 'Always',
  conditions: [
    {
      type: 'Ready',
      status: 'True',
      reason: 'Ready',
      message: 'Certificate is up to date and has not expired',
    },
  ],
  notBefore: at(-30 * D),
  notAfter: at(60 * D),
  renewalTime: at(30 * D),
  revision: 3,
  ...overrides,
});

const issuerOf = (overrides: Partial<IssuerFact> = {}): IssuerFact => ({
  cluster: 'prod',
  uid: 'uid-issuer',
  namespace: '',
  name: 'letsencrypt',
  kind: 'ClusterIssuer',
  ready: 'True',
  ...overrides,
});

/** A Certificate with its Secret, both healthy unless told; `null` leaves one out. */
const managed = (
  name = 'pay-tls',
  overrides: {
    certificate?: Partial<CertificateFact>;
    secret?: Partial<TlsSecretFact> | null;
    issuer?: Partial<IssuerFact>;
  } = {},
): CertificateItem => ({
  cluster: 'prod',
  namespace: 'payments',
  certificate: certificateOf(name, overrides.certificate),
  secret:
    overrides.secret === null ? undefined : secretOf(name, overrides.secret),
  issuer: issuerOf(overrides.issuer),
});

/** A TLS Secret that no Certificate manages. */
const byHand = (
  name = 'legacy-tls',
  overrides: Partial<TlsSecretFact> = {},
): CertificateItem => ({
  cluster: 'prod',
  namespace: 'payments',
  secret: secretOf(name, { certificateName: undefined, ...overrides }),
});

const policy = (known = true): ResolvedCertificatePolicy => ({
  policy: {
    expiryWarningSeconds: 28 * 86400,
    expiryFailureSeconds: 14 * 86400,
    maxLifetimeSeconds: 90 * 86400,
  },
  expiryKnown: known,
  lifetimeKnown: known,
  overriddenBy: [],
  problems: known
    ? []
    : [
        'resilience.io/tier is "gold", which is not a configured tier; use one of standard',
      ],
});

const collectedExcept =
  (...missing: CertificateSource[]) =>
  (_cluster: string, source: CertificateSource) =>
    !missing.includes(source);

/** The outcome of one check of one item. */
function outcome(
  item: CertificateItem,
  id: CertificateCheckId,
  options: {
    policy?: ResolvedCertificatePolicy;
    collected?: CertificateCheckInput['collected'];
  } = {},
) {
  const found = certificateOutcomes({
    item,
    now,
    policy: options.policy ?? policy(),
    collected: options.collected ?? (() => true),
  }).find(o => o.id === id);
  if (!found) throw new Error(`no outcome ${id}`);
  return found;
}

function run(overrides: Partial<CertificateCheckInput> = {}): CheckResult[] {
  return certificateChecks({
    now,
    policy: policy(),
    items: [managed('pay-tls'), managed('api-tls')],
    clusters: ['prod'],
    collected: () => true,
    ...overrides,
  });
}

const check = (results: CheckResult[], id: CertificateCheckId) =>
  results.find(r => r.id === id)!;

describe('renewalTimeOf', () => {
  const start = new Date('2026-01-01T00:00:00Z');
  const after = (ms: number) => new Date(start.getTime() + ms);

  it.each([
    ['a third of the lifetime by default', 90 * D, {}, 60 * D],
    ['a short certificate by default', 3 * H, {}, 2 * H],
    [
      'renewBefore shorter than the lifetime',
      24 * H,
      { renewBeforeMs: 20 * H },
      4 * H,
    ],
    [
      'renewBefore longer than the lifetime: default',
      24 * H,
      { renewBeforeMs: 25 * H },
      16 * H,
    ],
    [
      'renewBefore equal to the lifetime: default',
      24 * H,
      { renewBeforeMs: 24 * H },
      16 * H,
    ],
    ['renewBefore of zero: default', 24 * H, { renewBeforeMs: 0 }, 16 * H],
    [
      'renewBeforePercentage 30: renew when 30% is left',
      730 * H,
      { renewBeforePercentage: 30 },
      511 * H,
    ],
    [
      'renewBeforePercentage 25',
      3 * H,
      { renewBeforePercentage: 25 },
      2 * H + 15 * 60 * S,
    ],
    [
      'renewBeforePercentage 100: default',
      3 * H,
      { renewBeforePercentage: 100 },
      2 * H,
    ],
    [
      'renewBeforePercentage 0: default',
      3 * H,
      { renewBeforePercentage: 0 },
      2 * H,
    ],
    [
      'renewBefore before renewBeforePercentage',
      24 * H,
      { renewBeforeMs: 20 * H, renewBeforePercentage: 50 },
      4 * H,
    ],
    [
      'renewBefore too long, then renewBeforePercentage',
      24 * H,
      { renewBeforeMs: 48 * H, renewBeforePercentage: 50 },
      12 * H,
    ],
    [
      'a lifetime skewed by a second, truncated to the second',
      24 * H - S,
      {},
      16 * H - S,
    ],
    ['a lifetime of 3 h and half a second, truncated', 3 * H + 500, {}, 2 * H],
  ])('%s', (_what, lifetime, options, renewsAfter) => {
    expect(
      renewalTimeOf({
        notBefore: start,
        notAfter: after(lifetime),
        ...options,
      }).toISOString(),
    ).toBe(after(renewsAfter).toISOString());
  });
});

describe('scheduledRenewal', () => {
  it.each([
    ['the status renewalTime', {}, at(30 * D), false],
    [
      'computed when the status has none',
      { renewalTime: undefined },
      at(30 * D),
      true,
    ],
    [
      'computed with renewBefore',
      { renewalTime: undefined, renewBeforeMs: 15 * D },
      at(45 * D),
      true,
    ],
  ])('is %s', (_what, overrides, expected, computed) => {
    expect(
      scheduledRenewal(managed('pay-tls', { certificate: overrides })),
    ).toEqual({ at: expected, computed });
  });

  it('is undefined for a certificate never issued and for a Secret rotated by hand', () => {
    const never = managed('new-tls', {
      certificate: {
        notBefore: undefined,
        notAfter: undefined,
        renewalTime: undefined,
      },
      secret: null,
    });
    expect(scheduledRenewal(never)).toBeUndefined();
    expect(scheduledRenewal(byHand())).toBeUndefined();
  });
});

describe('certificateOutcomes', () => {
  it('gives every check for a Certificate, in order, each naming it', () => {
    const outcomes = certificateOutcomes({
      item: managed('pay-tls'),
      now,
      policy: policy(),
      collected: () => true,
    });
    expect(outcomes.map(o => [o.id, o.state])).toEqual(
      CERTIFICATE_CHECK_IDS.map(id => [id, 'pass']),
    );
    for (const o of outcomes) {
      expect(o.message).toMatch(/^Certificate pay-tls .*\.$/);
    }
  });

  it('marks the cert-manager checks not applicable to a Secret rotated by hand', () => {
    const outcomes = certificateOutcomes({
      item: byHand('legacy-tls'),
      now,
      policy: policy(),
      collected: () => true,
    });
    expect(Object.fromEntries(outcomes.map(o => [o.id, o.state]))).toEqual({
      'certificate.expiry': 'pass',
      'certificate.ready': 'not-applicable',
      'certificate.renewal-scheduled': 'not-applicable',
      'certificate.issuance-failures': 'not-applicable',
      'certificate.key-rotation': 'not-applicable',
      'certificate.lifetime': 'pass',
      'certificate.key-strength': 'pass',
      'certificate.secret-in-sync': 'not-applicable',
      'certificate.managed': 'warn',
    });
    expect(outcomes[8].message).toBe(
      'Secret legacy-tls is managed by no Certificate: it is rotated by hand.',
    );
  });

  describe('certificate.expiry', () => {
    it.each([
      [60 * D, 'pass'],
      [28 * D, 'pass'],
      [28 * D - S, 'warn'],
      [14 * D, 'warn'],
      [14 * D - S, 'fail'],
      [H, 'fail'],
      [0, 'fail'],
      [-3 * D, 'fail'],
    ])('%d ms before notAfter → %s', (left, state) => {
      const result = outcome(
        managed('pay-tls', { certificate: { notAfter: at(left) } }),
        'certificate.expiry',
      );
      expect(result.state).toBe(state);
    });

    it.each([
      [
        'far away',
        at(60 * D),
        'Certificate pay-tls expires in 60 days, on 2027-01-24.',
      ],
      [
        'warning',
        at(20 * D + 5 * H),
        'Certificate pay-tls expires in 20 days, on 2026-12-15: less than the warning threshold of 28 days.',
      ],
      [
        'failure',
        at(5 * H),
        'Certificate pay-tls expires in 5 h, on 2026-11-25 17:00 UTC: less than the failure threshold of 14 days.',
      ],
      [
        'expired',
        at(-3 * D),
        'Certificate pay-tls expired 3 days ago, on 2026-11-22.',
      ],
    ])('says the days left when %s', (_what, notAfter, message) => {
      expect(
        outcome(
          managed('pay-tls', { certificate: { notAfter } }),
          'certificate.expiry',
        ).message,
      ).toBe(message);
    });

    it("reads cert-manager's notAfter for a Certificate, the leaf's for a Secret by hand", () => {
      const stale = managed('pay-tls', {
        secret: { chain: [x509({ notAfter: at(5 * D) })] },
      });
      expect(outcome(stale, 'certificate.expiry').state).toBe('pass');
      expect(
        outcome(
          byHand('legacy-tls', { chain: [x509({ notAfter: at(5 * D) })] }),
          'certificate.expiry',
        ).state,
      ).toBe('fail');
    });

    it('falls back to the leaf when cert-manager has not recorded notAfter', () => {
      const item = managed('pay-tls', {
        certificate: { notBefore: undefined, notAfter: undefined },
        secret: { chain: [x509({ notAfter: at(10 * D) })] },
      });
      expect(outcome(item, 'certificate.expiry').state).toBe('fail');
    });

    it.each([
      [
        'never issued, Secret missing',
        managed('new-tls', {
          certificate: {
            notBefore: undefined,
            notAfter: undefined,
            renewalTime: undefined,
            conditions: [],
          },
          secret: null,
        }),
        () => true,
        'fail',
        /has never been issued: cert-manager reports no notAfter, and its Secret new-tls does not exist/,
      ],
      [
        'never issued, Secrets never collected',
        managed('new-tls', {
          certificate: { notBefore: undefined, notAfter: undefined },
          secret: null,
        }),
        collectedExcept('tls-secrets'),
        'unknown',
        /TLS Secrets of cluster prod have never been collected/,
      ],
      [
        'a Secret by hand that cannot be parsed',
        byHand('legacy-tls', { chain: [], parseError: 'no PEM block found' }),
        () => true,
        'fail',
        /Secret legacy-tls cannot serve TLS: the tls.crt of Secret legacy-tls cannot be read: no PEM block found/,
      ],
    ])('%s → %s', (_what, item, collected, state, message) => {
      const result = outcome(item, 'certificate.expiry', { collected });
      expect(result.state).toBe(state);
      expect(result.message).toMatch(message);
    });

    it('is unknown when the policy cannot be read, unless already expired', () => {
      expect(
        outcome(managed(), 'certificate.expiry', { policy: policy(false) }),
      ).toMatchObject({
        state: 'unknown',
        message: expect.stringMatching(
          /"gold", which is not a configured tier/,
        ),
      });
      expect(
        outcome(
          managed('pay-tls', { certificate: { notAfter: at(-H) } }),
          'certificate.expiry',
          { policy: policy(false) },
        ).state,
      ).toBe('fail');
    });
  });

  describe('certificate.ready', () => {
    it.each([
      [[{ type: 'Ready', status: 'True' as const }], 'pass', /is Ready\.$/],
      [
        [
          {
            type: 'Ready',
            status: 'False' as const,
            reason: 'DoesNotExist',
            message: 'Issuing certificate as Secret does not exist',
          },
        ],
        'fail',
        /^Certificate pay-tls is not Ready \(DoesNotExist\): Issuing certificate as Secret does not exist\.$/,
      ],
      [
        [{ type: 'Ready', status: 'Unknown' as const, reason: 'Pending' }],
        'warn',
        /of unknown readiness \(Pending\)/,
      ],
      [[], 'warn', /has no Ready condition/],
      [
        [{ type: 'Issuing', status: 'True' as const }],
        'warn',
        /has no Ready condition/,
      ],
    ])('conditions %j → %s', (conditions, state, message) => {
      const result = outcome(
        managed('pay-tls', { certificate: { conditions } }),
        'certificate.ready',
      );
      expect(result.state).toBe(state);
      expect(result.message).toMatch(message);
    });

    it('names an issuer that is not ready', () => {
      const result = outcome(
        managed('pay-tls', {
          certificate: {
            conditions: [{ type: 'Ready', status: 'False', reason: 'Failed' }],
          },
          issuer: {
            ready: 'False',
            readyReason: 'ErrRegisterACMEAccount',
            readyMessage: 'Failed to register ACME account',
          },
        }),
        'certificate.ready',
      );
      expect(result.message).toBe(
        'Certificate pay-tls is not Ready (Failed); its ClusterIssuer letsencrypt is not ready (ErrRegisterACMEAccount): Failed to register ACME account.',
      );
    });
  });

  describe('certificate.renewal-scheduled', () => {
    it.each([
      [
        'renewalTime in the future',
        {},
        'pass',
        /^Certificate pay-tls renews in 30 days, on 2026-12-25, 30 days before it expires\.$/,
      ],
      [
        'no renewalTime: computed as cert-manager does',
        { renewalTime: undefined },
        'pass',
        /^Certificate pay-tls renews in 30 days, on 2026-12-25, 30 days before it expires \(computed as cert-manager does: the status has no renewalTime\)\.$/,
      ],
      [
        'no renewalTime, renewBefore longer than the lifetime',
        {
          renewalTime: undefined,
          notBefore: at(-10 * D),
          notAfter: at(20 * D),
          renewBeforeMs: 40 * D,
        },
        'pass',
        /renews in 10 days, on 2026-12-05, 10 days before it expires \(computed/,
      ],
      [
        'no renewalTime, renewBeforePercentage 50',
        {
          renewalTime: undefined,
          notBefore: at(-10 * D),
          notAfter: at(20 * D),
          renewBeforePercentage: 50,
        },
        'pass',
        /renews in 5 days, on 2026-11-30, 15 days before it expires/,
      ],
      [
        'renewal due three days ago',
        { renewalTime: at(-3 * D), notAfter: at(27 * D) },
        'fail',
        /^Certificate pay-tls was due for renewal 3 days ago, on 2026-11-22, and has not been renewed\.$/,
      ],
      [
        'computed renewal already past',
        {
          renewalTime: undefined,
          notBefore: at(-80 * D),
          notAfter: at(10 * D),
        },
        'fail',
        /was due for renewal 20 days ago, on 2026-11-05 \(computed as cert-manager does/,
      ],
      [
        'renewal due ten minutes ago',
        { renewalTime: at(-10 * 60 * S) },
        'warn',
        /was due for renewal 10 min ago, on 2026-11-25 11:50 UTC/,
      ],
      [
        'renewal time after notAfter',
        { renewalTime: at(61 * D) },
        'fail',
        /renewal time 2027-01-25 not before it expires on 2027-01-24, so it expires before it is renewed/,
      ],
      [
        'renewal time at notAfter',
        { renewalTime: at(60 * D) },
        'fail',
        /expires before it is renewed/,
      ],
    ])('%s → %s', (_what, certificate, state, message) => {
      const result = outcome(
        managed('pay-tls', { certificate }),
        'certificate.renewal-scheduled',
      );
      expect(result.state).toBe(state);
      expect(result.message).toMatch(message);
    });

    it('fails a Certificate never issued (no status at all)', () => {
      const result = outcome(
        managed('new-tls', {
          certificate: {
            conditions: [],
            notBefore: undefined,
            notAfter: undefined,
            renewalTime: undefined,
            revision: undefined,
          },
          secret: null,
        }),
        'certificate.renewal-scheduled',
      );
      expect(result).toMatchObject({
        state: 'fail',
        message:
          'Certificate new-tls has never been issued, so no renewal can be scheduled.',
      });
    });

    it('warns when the renewal is scheduled but the issuer is not ready', () => {
      const result = outcome(
        managed('pay-tls', {
          issuer: { ready: 'False', readyReason: 'ErrInitIssuer' },
        }),
        'certificate.renewal-scheduled',
      );
      expect(result.state).toBe('warn');
      expect(result.message).toMatch(
        /but its ClusterIssuer letsencrypt is not ready \(ErrInitIssuer\), so that renewal would fail/,
      );
    });
  });

  describe('certificate.issuance-failures', () => {
    it.each([
      [undefined, 'pass'],
      [0, 'pass'],
      [1, 'fail'],
    ])('%p failed attempts → %s', (failedIssuanceAttempts, state) => {
      expect(
        outcome(
          managed('pay-tls', { certificate: { failedIssuanceAttempts } }),
          'certificate.issuance-failures',
        ).state,
      ).toBe(state);
    });

    it("says how many, when the last was, and cert-manager's reason", () => {
      const result = outcome(
        managed('pay-tls', {
          certificate: {
            failedIssuanceAttempts: 3,
            lastFailureTime: at(-2 * H),
            conditions: [
              { type: 'Ready', status: 'False', reason: 'Failed' },
              {
                type: 'Issuing',
                status: 'False',
                reason: 'Failed',
                message:
                  'The certificate request has failed to complete and will be retried: ACME order failed',
              },
            ],
          },
        }),
        'certificate.issuance-failures',
      );
      expect(result.message).toBe(
        'Certificate pay-tls has 3 failed issuance attempts, the last 2 h ago on 2026-11-25 10:00 UTC (Failed): The certificate request has failed to complete and will be retried: ACME order failed.',
      );
    });
  });

  describe('certificate.key-rotation', () => {
    it.each([
      [
        'Always',
        'pass',
        /new private key at every renewal \(rotationPolicy: Always\)/,
      ],
      [
        undefined,
        'pass',
        /sets no rotationPolicy, so cert-manager v1\.18 and later/,
      ],
      [
        'Never',
        'fail',
        /keeps its private key at every renewal \(rotationPolicy: Never\)/,
      ],
      ['Sometimes', 'fail', /which cert-manager does not know/],
    ])('rotationPolicy %p → %s', (rotationPolicy, state, message) => {
      const result = outcome(
        managed('pay-tls', { certificate: { rotationPolicy } }),
        'certificate.key-rotation',
      );
      expect(result.state).toBe(state);
      expect(result.message).toMatch(message);
    });
  });

  describe('certificate.lifetime', () => {
    it.each([
      [
        '90 days',
        managed(),
        'pass',
        'Certificate pay-tls is valid for 90 days.',
      ],
      [
        '90 days and 30 s of backdating',
        managed('pay-tls', {
          certificate: { notBefore: at(-30 * D - 30 * S) },
        }),
        'pass',
        'Certificate pay-tls is valid for 90 days.',
      ],
      [
        '365 days',
        managed('pay-tls', {
          certificate: { notBefore: at(-300 * D), notAfter: at(65 * D) },
        }),
        'fail',
        'Certificate pay-tls is valid for 365 days, longer than the maximum of 90 days.',
      ],
      [
        'a 24-hour certificate',
        managed('pay-tls', {
          certificate: { notBefore: at(-8 * H), notAfter: at(16 * H) },
        }),
        'pass',
        'Certificate pay-tls is valid for 24 h.',
      ],
      [
        'a Secret by hand, from its leaf',
        byHand('legacy-tls', {
          chain: [x509({ notBefore: at(-100 * D), notAfter: at(265 * D) })],
        }),
        'fail',
        'Secret legacy-tls is valid for 365 days, longer than the maximum of 90 days.',
      ],
      [
        'never issued, asking for a year',
        managed('new-tls', {
          certificate: {
            notBefore: undefined,
            notAfter: undefined,
            durationMs: 365 * D,
          },
          secret: null,
        }),
        'fail',
        'Certificate new-tls has never been issued, and asks to be valid for 365 days, longer than the maximum of 90 days.',
      ],
      [
        "never issued, cert-manager's default",
        managed('new-tls', {
          certificate: { notBefore: undefined, notAfter: undefined },
          secret: null,
        }),
        'pass',
        "Certificate new-tls has never been issued, and asks to be valid for 90 days (cert-manager's default).",
      ],
    ])('%s → %s', (_what, item, state, message) => {
      const result = outcome(item, 'certificate.lifetime');
      expect(result.state).toBe(state);
      expect(result.message).toBe(message);
    });
  });

  describe('certificate.key-strength', () => {
    const intermediate = (overrides: Partial<X509Fact> = {}) =>
      x509({
        subject: 'CN=Example Intermediate',
        issuer: 'CN=Example Root',
        isCa: true,
        keyType: 'rsa',
        keySize: 2048,
        curve: undefined,
        signatureAlgorithm: 'sha256WithRSAEncryption',
        ...overrides,
      });

    it.each([
      ['ECDSA P-256', [x509()], 'pass', /has a ECDSA prime256v1 key/],
      [
        'ECDSA P-384',
        [x509({ curve: 'secp384r1', keySize: 384 })],
        'pass',
        /ECDSA secp384r1/,
      ],
      [
        'ECDSA P-521',
        [x509({ curve: 'secp521r1', keySize: 521 })],
        'pass',
        /ECDSA secp521r1/,
      ],
      [
        'ECDSA P-224',
        [x509({ curve: 'secp224r1', keySize: 224 })],
        'fail',
        /the leaf \(CN=pay\.example\.com\) has an ECDSA key on curve secp224r1, not P-256, P-384 or P-521/,
      ],
      [
        'RSA 2048',
        [
          x509({
            keyType: 'rsa',
            keySize: 2048,
            curve: undefined,
            signatureAlgorithm: 'sha256WithRSAEncryption',
          }),
        ],
        'pass',
        /has a RSA 2048 key, signed with sha256WithRSAEncryption/,
      ],
      [
        'RSA 1024',
        [x509({ keyType: 'rsa', keySize: 1024, curve: undefined })],
        'fail',
        /^Certificate pay-tls has a weak key or signature: the leaf \(CN=pay\.example\.com\) has an RSA key of 1024 bits, less than 2048\.$/,
      ],
      [
        'Ed25519',
        [
          x509({
            keyType: 'ed25519',
            keySize: undefined,
            curve: undefined,
            signatureAlgorithm: 'ED25519',
          }),
        ],
        'pass',
        /has a ed25519 key/,
      ],
      [
        'DSA',
        [x509({ keyType: 'dsa', keySize: 2048, curve: undefined })],
        'fail',
        /has a DSA key/,
      ],
      [
        'a SHA-1 leaf',
        [x509({ signatureAlgorithm: 'ecdsa-with-SHA1' }), intermediate()],
        'fail',
        /the leaf \(CN=pay\.example\.com\) is signed with ecdsa-with-SHA1/,
      ],
      [
        'an MD5 leaf',
        [x509({ signatureAlgorithm: 'md5WithRSAEncryption' })],
        'fail',
        /is signed with md5WithRSAEncryption/,
      ],
      [
        'a SHA-1 intermediate',
        [x509(), intermediate({ signatureAlgorithm: 'sha1WithRSAEncryption' })],
        'fail',
        /chain certificate 2 \(CN=Example Intermediate\) is signed with sha1WithRSAEncryption/,
      ],
      [
        'a SHA-1 self-signed root',
        [
          x509(),
          intermediate(),
          root({ signatureAlgorithm: 'sha1WithRSAEncryption' }),
        ],
        'pass',
        /no weak key or signature/,
      ],
      [
        'a self-signed CA as its own leaf, signed with SHA-1',
        [root({ signatureAlgorithm: 'sha1WithRSAEncryption' })],
        'pass',
        /RSA 4096/,
      ],
      [
        'an RSA 1024 root',
        [x509(), root({ keySize: 1024 })],
        'fail',
        /chain certificate 2 \(CN=Example Root\) has an RSA key of 1024 bits/,
      ],
      [
        'a SHA-256 algorithm whose name has a 1 in it',
        [x509({ signatureAlgorithm: 'sha256WithRSAEncryption' })],
        'pass',
        /sha256WithRSAEncryption/,
      ],
      [
        'an unknown signature algorithm',
        [x509({ signatureAlgorithm: undefined })],
        'unknown',
        /the signature algorithm of the leaf \(CN=pay\.example\.com\) is unknown/,
      ],
      [
        'an unknown key type',
        [x509({ keyType: undefined })],
        'unknown',
        /the key of the leaf .* is of unknown type or size/,
      ],
    ])('%s → %s', (_what, chain, state, message) => {
      const result = outcome(
        managed('pay-tls', { secret: { chain } }),
        'certificate.key-strength',
      );
      expect(result.state).toBe(state);
      expect(result.message).toMatch(message);
    });

    it('is unknown when the Secret is missing or cannot be read', () => {
      expect(
        outcome(
          managed('pay-tls', { secret: null }),
          'certificate.key-strength',
        ),
      ).toMatchObject({
        state: 'unknown',
        message:
          'Certificate pay-tls cannot be checked: its Secret pay-tls does not exist.',
      });
      expect(
        outcome(
          managed('pay-tls', {
            secret: { chain: [], parseError: 'bad base64' },
          }),
          'certificate.key-strength',
        ).state,
      ).toBe('unknown');
    });
  });

  describe('certificate.secret-in-sync', () => {
    it.each([
      [
        'the same notAfter',
        {},
        {},
        () => true,
        'pass',
        /and its Secret pay-tls both say it expires on 2027-01-24/,
      ],
      [
        'the same notAfter to the second',
        { notAfter: new Date(at(60 * D).getTime() + 400) },
        {},
        () => true,
        'pass',
        /both say/,
      ],
      [
        'an older certificate in the Secret: rotation stuck',
        {
          notBefore: at(-5 * D),
          notAfter: at(85 * D),
          renewalTime: at(55 * D),
        },
        { chain: [x509({ notAfter: at(4 * D) })] },
        () => true,
        'fail',
        /^Certificate pay-tls expires on 2027-02-18 as cert-manager reports, but its Secret pay-tls holds a certificate expiring on 2026-11-29: the rotation is stuck \(the renewed certificate never reached the Secret\)\.$/,
      ],
      [
        'a newer certificate in the Secret than cert-manager recorded',
        {},
        { chain: [x509({ notAfter: at(80 * D) })] },
        () => true,
        'fail',
        /the rotation is stuck\.$/,
      ],
      [
        'a missing Secret',
        {},
        null,
        () => true,
        'fail',
        /^Certificate pay-tls is not where it is served from: its Secret pay-tls does not exist\.$/,
      ],
      [
        'an unparseable Secret',
        {},
        { chain: [], parseError: 'PEM block is not a CERTIFICATE' },
        () => true,
        'fail',
        /the tls\.crt of Secret pay-tls cannot be read: PEM block is not a CERTIFICATE/,
      ],
      [
        'an empty tls.crt',
        {},
        { chain: [] },
        () => true,
        'fail',
        /Secret pay-tls holds no certificate in tls\.crt/,
      ],
      [
        'Secrets never collected',
        {},
        null,
        collectedExcept('tls-secrets'),
        'unknown',
        /TLS Secrets of cluster prod have never been collected\.$/,
      ],
      [
        'a Secret cert-manager has not recorded',
        { notBefore: undefined, notAfter: undefined, renewalTime: undefined },
        {},
        () => true,
        'fail',
        /has no status\.notAfter, while its Secret pay-tls holds a certificate expiring on 2027-01-24/,
      ],
    ])('%s → %s', (_what, certificate, secret, collected, state, message) => {
      const result = outcome(
        managed('pay-tls', { certificate, secret }),
        'certificate.secret-in-sync',
        { collected },
      );
      expect(result.state).toBe(state);
      expect(result.message).toMatch(message);
    });
  });

  describe('certificate.managed', () => {
    it.each([
      [
        managed(),
        () => true,
        'pass',
        'Certificate pay-tls is managed by cert-manager, issued by ClusterIssuer letsencrypt.',
      ],
      [
        byHand(),
        () => true,
        'warn',
        'Secret legacy-tls is managed by no Certificate: it is rotated by hand.',
      ],
      [
        byHand('old-tls', { certificateName: 'old' }),
        () => true,
        'warn',
        'Secret old-tls is managed by no Certificate: it is rotated by hand (cert-manager wrote it for Certificate old, which no longer exists).',
      ],
      [
        byHand(),
        collectedExcept('certificates'),
        'unknown',
        'Secret legacy-tls may or may not be managed: the Certificates of cluster prod have never been collected.',
      ],
    ])('%#: → %s', (item, collected, state, message) => {
      expect(outcome(item, 'certificate.managed', { collected })).toMatchObject(
        {
          state,
          message,
        },
      );
    });
  });
});

describe('certificateChecks', () => {
  it('returns the nine checks in the documented order, all passing for healthy certificates', () => {
    const results = run();
    expect(results.map(r => [r.id, r.state])).toEqual(
      CERTIFICATE_CHECK_IDS.map(id => [id, 'pass']),
    );
    expect(check(results, 'certificate.expiry')).toMatchObject({
      title: 'Certificates far from expiry',
      value: 60 * 86400,
      threshold: 28 * 86400,
      unit: 'seconds',
      bound: 'at-least',
      message:
        'Each of the 2 certificates is valid for at least 28 days more (the warning threshold).',
      evidence: [],
    });
    expect(check(results, 'certificate.lifetime')).toMatchObject({
      value: 90 * 86400,
      threshold: 90 * 86400,
      unit: 'seconds',
      bound: 'at-most',
    });
    expect(check(results, 'certificate.issuance-failures')).toMatchObject({
      value: 0,
      threshold: 0,
      unit: 'count',
      bound: 'at-most',
    });
  });

  it('is not applicable to an entity without certificates', () => {
    const results = run({ items: [] });
    expect(results.map(r => r.state)).toEqual(Array(9).fill('not-applicable'));
    expect(results[0].message).toBe('The entity has no TLS certificate.');
  });

  it.each<[string, CertificateCheckInput['collected']]>([
    ['Certificates', collectedExcept('certificates')],
    ['TLS Secrets', collectedExcept('tls-secrets')],
  ])(
    'is unknown, not passing or not applicable, when the %s were never collected',
    (_what, collected) => {
      const empty = run({ items: [], collected });
      expect(empty.map(r => r.state)).toEqual(Array(9).fill('unknown'));
      expect(empty[0].message).toBe(
        'The certificates of cluster prod have never been collected.',
      );
      const some = run({ collected, clusters: ['prod'] });
      expect(some.every(r => r.state !== 'pass')).toBe(true);
    },
  );

  it('is unknown when another cluster may hide certificates, but keeps a failure', () => {
    const results = run({
      items: [
        managed('pay-tls'),
        managed('api-tls', { certificate: { notAfter: at(2 * D) } }),
      ],
      clusters: ['prod', 'edge'],
      collected: cluster => cluster === 'prod',
    });
    expect(check(results, 'certificate.expiry').state).toBe('fail');
    expect(check(results, 'certificate.expiry').message).toMatch(
      /The certificates of cluster edge have never been collected\.$/,
    );
    expect(check(results, 'certificate.ready')).toMatchObject({
      state: 'unknown',
      message:
        'cert-manager reports all 2 Certificates Ready. The certificates of cluster edge have never been collected.',
    });
  });

  it('takes the worst state over the items and names those that do not pass', () => {
    const results = run({
      items: [
        managed('pay-tls'),
        managed('api-tls', { certificate: { notAfter: at(20 * D) } }),
        managed('web-tls', { certificate: { notAfter: at(-D) } }),
      ],
    });
    const expiry = check(results, 'certificate.expiry');
    expect(expiry).toMatchObject({
      state: 'fail',
      value: -86400,
      threshold: 28 * 86400,
    });
    expect(expiry.message).toBe(
      '1 of 3 certificates has expired or expires within the failure threshold: prod/payments/web-tls expired 24 h ago, on 2026-11-24 12:00 UTC.',
    );
    expect(expiry.evidence).toEqual([
      {
        kind: 'certificate',
        cluster: 'prod',
        namespace: 'payments',
        name: 'api-tls',
        note: 'expires in 20 days, on 2026-12-15: less than the warning threshold of 28 days',
      },
      {
        kind: 'certificate',
        cluster: 'prod',
        namespace: 'payments',
        name: 'web-tls',
        note: 'expired 24 h ago, on 2026-11-24 12:00 UTC',
      },
    ]);
  });

  it('lists at most three items in the message', () => {
    const items = ['a', 'b', 'c', 'd'].map(name =>
      managed(name, { certificate: { rotationPolicy: 'Never' } }),
    );
    const rotation = check(run({ items }), 'certificate.key-rotation');
    expect(rotation).toMatchObject({ state: 'fail', value: 4, threshold: 0 });
    expect(rotation.message).toMatch(
      /^4 of 4 certificates keep the private key across renewals: prod\/payments\/a keeps .*; and 1 more\.$/,
    );
    expect(rotation.evidence).toHaveLength(4);
  });

  it('warns about Secrets rotated by hand with secret evidence, and skips cert-manager checks for them', () => {
    const results = run({ items: [managed('pay-tls'), byHand('legacy-tls')] });
    expect(check(results, 'certificate.managed')).toMatchObject({
      state: 'warn',
      value: 1,
      message:
        '1 of 2 certificates is rotated by hand: prod/payments/legacy-tls is managed by no Certificate: it is rotated by hand.',
      evidence: [
        {
          kind: 'secret',
          cluster: 'prod',
          namespace: 'payments',
          name: 'legacy-tls',
          note: 'is managed by no Certificate: it is rotated by hand',
        },
      ],
    });
    expect(check(results, 'certificate.ready')).toMatchObject({
      state: 'pass',
      message: 'cert-manager reports the Certificate Ready.',
    });
    const onlyByHand = run({ items: [byHand('legacy-tls')] });
    expect(check(onlyByHand, 'certificate.ready')).toMatchObject({
      state: 'not-applicable',
      message:
        "No Certificate manages the entity's TLS Secrets, so cert-manager reports nothing to check.",
    });
  });

  it('sums failed issuance attempts and takes the longest lifetime', () => {
    const results = run({
      items: [
        managed('a', { certificate: { failedIssuanceAttempts: 2 } }),
        managed('b', { certificate: { failedIssuanceAttempts: 5 } }),
        byHand('c', {
          chain: [x509({ notBefore: at(-100 * D), notAfter: at(265 * D) })],
        }),
      ],
    });
    expect(check(results, 'certificate.issuance-failures')).toMatchObject({
      state: 'fail',
      value: 7,
    });
    expect(check(results, 'certificate.lifetime')).toMatchObject({
      state: 'fail',
      value: 365 * 86400,
      threshold: 90 * 86400,
    });
  });

  it('measures nothing when one item has no value, and is unknown on an unreadable policy', () => {
    const results = run({
      policy: policy(false),
      items: [
        managed('pay-tls'),
        managed('new-tls', {
          certificate: { notBefore: undefined, notAfter: undefined },
          secret: null,
        }),
      ],
    });
    const expiry = check(results, 'certificate.expiry');
    expect(expiry.state).toBe('fail');
    expect(expiry.value).toBeUndefined();
    expect(expiry.threshold).toBeUndefined();
    expect(check(results, 'certificate.lifetime')).toMatchObject({
      state: 'unknown',
      threshold: undefined,
    });
    expect(check(results, 'certificate.lifetime').message).toMatch(
      /cannot be judged: the entity's policy cannot be read/,
    );
  });
});

describe('the instants the certificate verdicts change with the clock', () => {
  const states = (results: CheckResult[]) =>
    results.map(r => `${r.id}=${r.state}`);

  it('are reported, and nothing changes between them', () => {
    const items = [managed('pay-tls')];
    const evaluate = (when: Date) => {
      const flips = new FlipTimes(when);
      const results = run({ now: when, items, flips });
      return { results, next: flips.next() };
    };
    let when = now;
    const seen: string[] = [];
    for (let i = 0; i < 10; i++) {
      const { results, next } = evaluate(when);
      seen.push(states(results).join(' '));
      if (!next) break;
      // Up to just before the instant, the verdicts are those of `when`: no change is missed.
      // (An instant may change only a message: one evaluation too many, never one too few.)
      expect(states(evaluate(new Date(next.getTime() - 1)).results)).toEqual(
        states(results),
      );
      when = next;
    }
    const of = (id: string) =>
      seen.map(s => new RegExp(`${id}=(\\S+)`).exec(s)![1]);
    // Renewal due, overdue after the hour of grace, within the warning, within the failure
    // threshold, expired; then nothing more changes.
    expect(of('certificate.renewal-scheduled')).toEqual([
      'pass',
      'warn',
      'fail',
      'fail',
      'fail',
      'fail',
    ]);
    expect(of('certificate.expiry')).toEqual([
      'pass',
      'pass',
      'pass',
      'warn',
      'fail',
      'fail',
    ]);
  });
});
