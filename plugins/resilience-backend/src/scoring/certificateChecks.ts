import {
  CERTIFICATE_CHECK_IDS,
  CertificateCheckId,
  CertificateCheckOutcome,
  CheckEvidence,
  CheckResult,
  CheckState,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  CertificateFact,
  IssuerFact,
  TlsSecretFact,
  X509Fact,
} from '../database/types';
import { FlipTimes } from './flips';
import { formatDuration } from './durations';
import { ResolvedCertificatePolicy } from './policy';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/**
 * The sources the certificate checks read, by the names the check functions ask `collected`
 * about: cert-manager's `Certificate`s, and the Secrets of type `kubernetes.io/tls`.
 */
export type CertificateSource = 'certificates' | 'tls-secrets';

/**
 * One TLS certificate an entity depends on: a cert-manager Certificate with the Secret it
 * writes (absent when that Secret does not exist) and its Issuer or ClusterIssuer (absent when
 * unknown), or a TLS Secret that no Certificate manages (`certificate` absent: rotated by hand).
 */
export interface CertificateItem {
  cluster: string;
  namespace: string;
  certificate?: CertificateFact;
  secret?: TlsSecretFact;
  issuer?: IssuerFact;
}

/** What the checks of one certificate need besides the certificate. */
export interface CertificateCheckContext {
  now: Date;
  /** Told when a verdict would change as the clock moves on. */
  flips?: FlipTimes;
  policy: ResolvedCertificatePolicy;
  /**
   * Whether a source of a cluster was ever listed completely. A source the API server does not
   * serve (cert-manager's CRDs are not installed) should count as collected for `certificates`:
   * then no Certificate manages anything there, which is a finding, not an unknown. What was
   * never collected makes the checks that need it `unknown`, never `pass`.
   */
  collected: (cluster: string, source: CertificateSource) => boolean;
}

/** Everything the certificate checks of one entity read; no I/O happens inside them. */
export interface CertificateCheckInput extends CertificateCheckContext {
  items: CertificateItem[];
  /**
   * The clusters the entity's certificates are looked for in. With no item, the checks are
   * `unknown` (not `not-applicable`) while one of these has never had both sources collected;
   * with items, such a cluster makes passing checks `unknown`, as it may hide more.
   */
  clusters: string[];
}

/**
 * When cert-manager renews a certificate valid from `notBefore` to `notAfter`, as it computes it
 * when a Certificate's status has no `renewalTime`: `renewBeforeMs` before `notAfter` when it is
 * positive and shorter than the actual lifetime; else `renewBeforePercentage` percent of the
 * lifetime before `notAfter` when it is strictly between 0 and 100; else one third of the
 * lifetime before `notAfter` (two thirds through). Truncated to the second, as cert-manager
 * stores it. Renewal windows (`spec.renewal`) and ACME renewal information are not modelled:
 * they only ever appear with a `renewalTime` in the status.
 */
export function renewalTimeOf(options: {
  notBefore: Date;
  notAfter: Date;
  renewBeforeMs?: number;
  renewBeforePercentage?: number;
}): Date {
  const { notBefore, notAfter, renewBeforeMs, renewBeforePercentage } = options;
  const actual = notAfter.getTime() - notBefore.getTime();
  let before: number;
  if (
    renewBeforeMs !== undefined &&
    renewBeforeMs > 0 &&
    renewBeforeMs < actual
  ) {
    before = renewBeforeMs;
  } else if (
    renewBeforePercentage !== undefined &&
    renewBeforePercentage > 0 &&
    renewBeforePercentage < 100
  ) {
    before = (actual * renewBeforePercentage) / 100;
  } else {
    before = actual / 3;
  }
  return new Date(Math.floor((notAfter.getTime() - before) / 1000) * 1000);
}

/** The first certificate of a Secret's `tls.crt`, the leaf; undefined when there is none. */
export function leafOf(
  secret: TlsSecretFact | undefined,
): X509Fact | undefined {
  return secret && !secret.parseError ? secret.chain[0] : undefined;
}

/**
 * The validity of an item's certificate: the Certificate's `status.notBefore`/`notAfter` when
 * cert-manager reports them, else its Secret's leaf's; undefined when neither is known.
 */
export function validityOf(
  item: CertificateItem,
): { notBefore?: Date; notAfter: Date; from: 'status' | 'secret' } | undefined {
  const leaf = leafOf(item.secret);
  if (item.certificate?.notAfter) {
    return {
      notBefore: item.certificate.notBefore ?? leaf?.notBefore,
      notAfter: item.certificate.notAfter,
      from: 'status',
    };
  }
  return leaf
    ? { notBefore: leaf.notBefore, notAfter: leaf.notAfter, from: 'secret' }
    : undefined;
}

/**
 * A Certificate's next renewal: `status.renewalTime`, else computed with
 * {@link renewalTimeOf} from its validity; undefined when it has never been issued.
 */
export function scheduledRenewal(
  item: CertificateItem,
): { at: Date; computed: boolean } | undefined {
  const { certificate } = item;
  if (!certificate) return undefined;
  if (certificate.renewalTime) {
    return { at: certificate.renewalTime, computed: false };
  }
  const validity = validityOf(item);
  if (!validity?.notBefore) return undefined;
  return {
    at: renewalTimeOf({
      notBefore: validity.notBefore,
      notAfter: validity.notAfter,
      renewBeforeMs: certificate.renewBeforeMs,
      renewBeforePercentage: certificate.renewBeforePercentage,
    }),
    computed: true,
  };
}

/** One check's verdict on one item; `note` reads after the item's name. */
interface Verdict {
  state: CheckState;
  note: string;
  /** The item's measure for the entity's value, in the check's unit. */
  value?: number;
}

/** `28 days`, `36 h`: whole days from two days up (rounded down unless asked), finer below. */
function span(ms: number, round: (n: number) => number = Math.floor): string {
  const abs = Math.abs(ms);
  if (abs >= 2 * DAY) return `${round(abs / DAY)} days`;
  return formatDuration(abs);
}

/** A date, with the time of day when it is near enough for the hours to matter. */
function when(date: Date, now: Date): string {
  const iso = date.toISOString();
  return Math.abs(date.getTime() - now.getTime()) >= 2 * DAY
    ? iso.slice(0, 10)
    : `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The condition of a type, if cert-manager wrote one. */
const condition = (certificate: CertificateFact, type: string) =>
  certificate.conditions.find(c => c.type === type);

/** `(Reason): message`, as much of it as cert-manager gave. */
function because(reason?: string, message?: string): string {
  return `${reason ? ` (${reason})` : ''}${message ? `: ${message}` : ''}`;
}

/** Why an issuer may not issue, or undefined when it is not known to be broken. */
function issuerProblem(issuer: IssuerFact | undefined): string | undefined {
  if (!issuer || issuer.ready === 'True' || issuer.ready === undefined) {
    return undefined;
  }
  return `its ${issuer.kind} ${issuer.name} is not ready${because(
    issuer.readyReason,
    issuer.readyMessage,
  )}`;
}

/** Curves cert-manager and browsers accept for ECDSA, P-256 and larger, by their OpenSSL names. */
const STRONG_CURVES = new Set([
  'prime256v1',
  'secp384r1',
  'secp521r1',
  'P-256',
  'P-384',
  'P-521',
]);

const WEAK_DIGEST = /sha-?1(?!\d)|md[245]/i;

/** Why a certificate's key is too weak; `unknown` when it cannot be told; undefined when fine. */
function keyProblem(cert: X509Fact): string | 'unknown' | undefined {
  const type = cert.keyType?.toLowerCase();
  if (type === 'rsa' || type === 'rsa-pss') {
    if (cert.keySize === undefined) return 'unknown';
    return cert.keySize < 2048
      ? `has an RSA key of ${cert.keySize} bits, less than 2048`
      : undefined;
  }
  if (type === 'ec') {
    if (cert.curve) {
      return STRONG_CURVES.has(cert.curve)
        ? undefined
        : `has an ECDSA key on curve ${cert.curve}, not P-256, P-384 or P-521`;
    }
    if (cert.keySize === undefined) return 'unknown';
    return cert.keySize < 256
      ? `has an ECDSA key of ${cert.keySize} bits, less than P-256`
      : undefined;
  }
  if (type === 'ed25519' || type === 'ed448') return undefined;
  if (type === 'dsa') return 'has a DSA key, which TLS no longer accepts';
  return 'unknown';
}

/** The parts of an item the checks read, worked out once. */
interface Facts {
  item: CertificateItem;
  context: CertificateCheckContext;
  certificate?: CertificateFact;
  secret?: TlsSecretFact;
  leaf?: X509Fact;
  /** Why the Secret's certificate cannot be used, or undefined when it can. */
  secretProblem?: { state: 'unknown' | 'fail'; note: string };
  validity?: ReturnType<typeof validityOf>;
}

function factsOf(
  item: CertificateItem,
  context: CertificateCheckContext,
): Facts {
  const { certificate, secret } = item;
  const secretName = certificate?.secretName ?? secret?.name ?? '';
  let secretProblem: Facts['secretProblem'];
  if (!secret) {
    secretProblem = context.collected(item.cluster, 'tls-secrets')
      ? { state: 'fail', note: `its Secret ${secretName} does not exist` }
      : {
          state: 'unknown',
          note: `the TLS Secrets of cluster ${item.cluster} have never been collected`,
        };
  } else if (secret.parseError) {
    secretProblem = {
      state: 'fail',
      note: `the tls.crt of Secret ${secret.name} cannot be read: ${secret.parseError}`,
    };
  } else if (secret.chain.length === 0) {
    secretProblem = {
      state: 'fail',
      note: `Secret ${secret.name} holds no certificate in tls.crt`,
    };
  }
  return {
    item,
    context,
    certificate,
    secret,
    leaf: leafOf(secret),
    secretProblem,
    validity: validityOf(item),
  };
}

const RENEWAL_GRACE_MS = HOUR;
/** Issuers backdate `notBefore` against clock skew (Vault by 30 s); that is not lifetime. */
const LIFETIME_TOLERANCE_MS = HOUR;

const NO_CERTIFICATE: Verdict = {
  state: 'not-applicable',
  note: 'is not managed by a Certificate, so cert-manager reports nothing on it',
};

function policyUnknown(facts: Facts): Verdict {
  return {
    state: 'unknown',
    note: `cannot be judged: the entity's policy cannot be read (${facts.context.policy.problems.join(
      '; ',
    )})`,
  };
}

function expiry(facts: Facts): Verdict {
  const { now, policy } = facts.context;
  if (!facts.validity) {
    const problem = facts.secretProblem!;
    if (facts.certificate) {
      return problem.state === 'unknown'
        ? {
            state: 'unknown',
            note: `has no status.notAfter, and ${problem.note}`,
          }
        : {
            state: 'fail',
            note: `has never been issued: cert-manager reports no notAfter, and ${problem.note}`,
          };
    }
    return { state: 'fail', note: `cannot serve TLS: ${problem.note}` };
  }
  const { notAfter } = facts.validity;
  const left = notAfter.getTime() - now.getTime();
  // Fails from notAfter on, and once less than a threshold is left.
  const { flips } = facts.context;
  flips?.at(notAfter);
  if (policy.expiryKnown) {
    flips?.at(
      notAfter.getTime() - policy.policy.expiryFailureSeconds * 1000 + 1,
    );
    flips?.at(
      notAfter.getTime() - policy.policy.expiryWarningSeconds * 1000 + 1,
    );
  }
  const value = Math.floor(left / 1000);
  if (left <= 0) {
    return {
      state: 'fail',
      note: `expired ${span(-left)} ago, on ${when(notAfter, now)}`,
      value,
    };
  }
  if (!policy.expiryKnown) return { ...policyUnknown(facts), value };
  const failure = policy.policy.expiryFailureSeconds * 1000;
  const warning = policy.policy.expiryWarningSeconds * 1000;
  const expires = `expires in ${span(left)}, on ${when(notAfter, now)}`;
  if (left < failure) {
    return {
      state: 'fail',
      note: `${expires}: less than the failure threshold of ${span(failure)}`,
      value,
    };
  }
  if (left < warning) {
    return {
      state: 'warn',
      note: `${expires}: less than the warning threshold of ${span(warning)}`,
      value,
    };
  }
  return { state: 'pass', note: expires, value };
}

function ready(facts: Facts): Verdict {
  const { certificate } = facts;
  if (!certificate) return NO_CERTIFICATE;
  const isReady = condition(certificate, 'Ready');
  if (!isReady) {
    return {
      state: 'warn',
      note: 'has no Ready condition: cert-manager has not processed it yet (is cert-manager running?)',
      value: 1,
    };
  }
  if (isReady.status === 'True')
    return { state: 'pass', note: 'is Ready', value: 0 };
  const issuer = issuerProblem(facts.item.issuer);
  return {
    state: isReady.status === 'False' ? 'fail' : 'warn',
    note: `is ${
      isReady.status === 'False' ? 'not Ready' : 'of unknown readiness'
    }${because(isReady.reason, isReady.message)}${issuer ? `; ${issuer}` : ''}`,
    value: 1,
  };
}

function renewalScheduled(facts: Facts): Verdict {
  const { certificate, validity } = facts;
  if (!certificate) return NO_CERTIFICATE;
  const { now } = facts.context;
  const renewal = scheduledRenewal(facts.item);
  if (!renewal || !validity) {
    if (!validity && facts.secretProblem?.state === 'unknown') {
      return {
        state: 'unknown',
        note: `has no status.notAfter, and ${facts.secretProblem.note}`,
      };
    }
    return validity
      ? {
          state: 'unknown',
          note: 'has no renewalTime, and no notBefore to compute it from',
        }
      : {
          state: 'fail',
          note: 'has never been issued, so no renewal can be scheduled',
        };
  }
  const at = renewal.at;
  const computed = renewal.computed
    ? ' (computed as cert-manager does: the status has no renewalTime)'
    : '';
  const { notAfter } = validity;
  if (at.getTime() >= notAfter.getTime()) {
    return {
      state: 'fail',
      note: `has its renewal time ${when(
        at,
        now,
      )}${computed} not before it expires on ${when(
        notAfter,
        now,
      )}, so it expires before it is renewed`,
    };
  }
  const due = now.getTime() - at.getTime();
  // Warns from the renewal time on, fails once the grace is over.
  facts.context.flips?.at(at);
  facts.context.flips?.at(at.getTime() + RENEWAL_GRACE_MS);
  if (due >= 0) {
    const issuer = issuerProblem(facts.item.issuer);
    return {
      state: due < RENEWAL_GRACE_MS ? 'warn' : 'fail',
      note: `was due for renewal ${span(due)} ago, on ${when(
        at,
        now,
      )}${computed}, and has not been renewed${issuer ? `: ${issuer}` : ''}`,
    };
  }
  const scheduled = `renews in ${span(-due)}, on ${when(at, now)}, ${span(
    notAfter.getTime() - at.getTime(),
  )} before it expires${computed}`;
  const issuer = issuerProblem(facts.item.issuer);
  return issuer
    ? {
        state: 'warn',
        note: `${scheduled}; but ${issuer}, so that renewal would fail`,
      }
    : { state: 'pass', note: scheduled };
}

function issuanceFailures(facts: Facts): Verdict {
  const { certificate } = facts;
  if (!certificate) return NO_CERTIFICATE;
  const attempts = certificate.failedIssuanceAttempts ?? 0;
  if (attempts <= 0) {
    return { state: 'pass', note: 'has no failed issuance attempts', value: 0 };
  }
  const { now } = facts.context;
  const last = certificate.lastFailureTime;
  const issuing = condition(certificate, 'Issuing');
  const said =
    issuing?.status === 'False' && (issuing.reason || issuing.message)
      ? because(issuing.reason, issuing.message)
      : '';
  return {
    state: 'fail',
    note: `has ${plural(attempts, 'failed issuance attempt')}${
      last
        ? `, the last ${span(now.getTime() - last.getTime())} ago on ${when(
            last,
            now,
          )}`
        : ''
    }${said}`,
    value: attempts,
  };
}

function keyRotation(facts: Facts): Verdict {
  const { certificate } = facts;
  if (!certificate) return NO_CERTIFICATE;
  switch (certificate.rotationPolicy) {
    case 'Always':
      return {
        state: 'pass',
        note: 'gets a new private key at every renewal (rotationPolicy: Always)',
        value: 0,
      };
    case undefined:
      return {
        state: 'pass',
        note: 'sets no rotationPolicy, so cert-manager v1.18 and later give it a new private key at every renewal (earlier versions kept the key)',
        value: 0,
      };
    case 'Never':
      return {
        state: 'fail',
        note: 'keeps its private key at every renewal (rotationPolicy: Never)',
        value: 1,
      };
    default:
      return {
        state: 'fail',
        note: `has rotationPolicy ${certificate.rotationPolicy}, which cert-manager does not know (Always or Never)`,
        value: 1,
      };
  }
}

function lifetime(facts: Facts): Verdict {
  const { validity, certificate } = facts;
  let ms: number;
  let how = 'is valid for';
  let note = '';
  if (validity?.notBefore) {
    ms = validity.notAfter.getTime() - validity.notBefore.getTime();
  } else if (certificate && !validity) {
    ms = certificate.durationMs ?? 90 * DAY;
    how = 'has never been issued, and asks to be valid for';
    if (certificate.durationMs === undefined)
      note = " (cert-manager's default)";
  } else {
    return {
      state: 'unknown',
      note: `has no known lifetime: ${
        facts.secretProblem?.note ?? 'its notBefore is not known'
      }`,
    };
  }
  const value = Math.round(ms / 1000);
  if (!facts.context.policy.lifetimeKnown) {
    return { ...policyUnknown(facts), value };
  }
  const max = facts.context.policy.policy.maxLifetimeSeconds * 1000;
  const length = `${span(ms, Math.round)}${note}`;
  return ms > max + LIFETIME_TOLERANCE_MS
    ? {
        state: 'fail',
        note: `${how} ${length}, longer than the maximum of ${span(
          max,
          Math.round,
        )}`,
        value,
      }
    : { state: 'pass', note: `${how} ${length}`, value };
}

function keyStrength(facts: Facts): Verdict {
  const { secret } = facts;
  if (facts.secretProblem || !secret) {
    return {
      state: 'unknown',
      note: `cannot be checked: ${
        facts.secretProblem?.note ?? 'it has no Secret'
      }`,
    };
  }
  const problems: string[] = [];
  const unknowns: string[] = [];
  secret.chain.forEach((cert, index) => {
    const name = `${
      index === 0 ? 'the leaf' : `chain certificate ${index + 1}`
    } (${cert.subject})`;
    const key = keyProblem(cert);
    if (key === 'unknown') {
      unknowns.push(`the key of ${name} is of unknown type or size`);
    } else if (key) {
      problems.push(`${name} ${key}`);
    }
    // A self-signed CA's own signature is never verified by a client: it is trusted as it is.
    const trustedAsIs = cert.selfSigned && (cert.isCa || index > 0);
    if (trustedAsIs) return;
    if (!cert.signatureAlgorithm) {
      unknowns.push(`the signature algorithm of ${name} is unknown`);
    } else if (WEAK_DIGEST.test(cert.signatureAlgorithm)) {
      problems.push(`${name} is signed with ${cert.signatureAlgorithm}`);
    }
  });
  if (problems.length) {
    return {
      state: 'fail',
      note: `has a weak key or signature: ${problems.join('; ')}`,
    };
  }
  if (unknowns.length) {
    return {
      state: 'unknown',
      note: `cannot be fully checked: ${unknowns.join('; ')}`,
    };
  }
  const leaf = facts.leaf!;
  const names: Record<string, string> = {
    rsa: `RSA ${leaf.keySize}`,
    ec: `ECDSA ${leaf.curve ?? `${leaf.keySize} bits`}`,
  };
  const key = names[leaf.keyType ?? ''] ?? leaf.keyType;
  return {
    state: 'pass',
    note: `has a ${key} key${
      leaf.signatureAlgorithm ? `, signed with ${leaf.signatureAlgorithm}` : ''
    }, and no weak key or signature in its chain`,
  };
}

function secretInSync(facts: Facts): Verdict {
  const { certificate, leaf } = facts;
  if (!certificate) return NO_CERTIFICATE;
  const { now } = facts.context;
  if (facts.secretProblem || !leaf) {
    const problem = facts.secretProblem!;
    return problem.state === 'fail'
      ? {
          state: 'fail',
          note: `is not where it is served from: ${problem.note}`,
          value: 1,
        }
      : {
          state: 'unknown',
          note: `cannot be compared with its Secret: ${problem.note}`,
        };
  }
  const secret = certificate.secretName;
  const held = Math.floor(leaf.notAfter.getTime() / 1000);
  if (!certificate.notAfter) {
    return {
      state: 'fail',
      note: `has no status.notAfter, while its Secret ${secret} holds a certificate expiring on ${when(
        leaf.notAfter,
        now,
      )}: cert-manager has not taken it over`,
      value: 1,
    };
  }
  const reported = Math.floor(certificate.notAfter.getTime() / 1000);
  if (held === reported) {
    return {
      state: 'pass',
      note: `and its Secret ${secret} both say it expires on ${when(
        leaf.notAfter,
        now,
      )}`,
      value: 0,
    };
  }
  return {
    state: 'fail',
    note: `expires on ${when(
      certificate.notAfter,
      now,
    )} as cert-manager reports, but its Secret ${secret} holds a certificate expiring on ${when(
      leaf.notAfter,
      now,
    )}: the rotation is stuck${
      held < reported
        ? ' (the renewed certificate never reached the Secret)'
        : ''
    }`,
    value: 1,
  };
}

function managed(facts: Facts): Verdict {
  const { certificate, secret, item } = facts;
  if (certificate) {
    return {
      state: 'pass',
      note: `is managed by cert-manager, issued by ${certificate.issuerRef.kind} ${certificate.issuerRef.name}`,
      value: 0,
    };
  }
  if (!facts.context.collected(item.cluster, 'certificates')) {
    return {
      state: 'unknown',
      note: `may or may not be managed: the Certificates of cluster ${item.cluster} have never been collected`,
    };
  }
  return {
    state: 'warn',
    note: `is managed by no Certificate: it is rotated by hand${
      secret?.certificateName
        ? ` (cert-manager wrote it for Certificate ${secret.certificateName}, which no longer exists)`
        : ''
    }`,
    value: 1,
  };
}

const VERDICTS: Record<CertificateCheckId, (facts: Facts) => Verdict> = {
  'certificate.expiry': expiry,
  'certificate.ready': ready,
  'certificate.renewal-scheduled': renewalScheduled,
  'certificate.issuance-failures': issuanceFailures,
  'certificate.key-rotation': keyRotation,
  'certificate.lifetime': lifetime,
  'certificate.key-strength': keyStrength,
  'certificate.secret-in-sync': secretInSync,
  'certificate.managed': managed,
};

const nameOf = (item: CertificateItem) =>
  item.certificate?.name ?? item.secret?.name ?? '';

/** `Certificate payments-tls`, `Secret legacy-tls`. */
const labelOf = (item: CertificateItem) =>
  `${item.certificate ? 'Certificate' : 'Secret'} ${nameOf(item)}`;

function verdictsOf(
  item: CertificateItem,
  context: CertificateCheckContext,
): Array<Verdict & { id: CertificateCheckId }> {
  if (!item.certificate && !item.secret) return [];
  const facts = factsOf(item, context);
  return CERTIFICATE_CHECK_IDS.map(id => ({ id, ...VERDICTS[id](facts) }));
}

/**
 * The outcome of every certificate check for one certificate, in the order of
 * `CERTIFICATE_CHECK_IDS`, each with a sentence that names it. The checks cert-manager reports
 * on (ready, renewal, issuance failures, key rotation, Secret in sync) are `not-applicable` to a
 * TLS Secret that no Certificate manages. A Certificate whose Secret does not exist or cannot be
 * parsed fails `certificate.secret-in-sync` (and `certificate.expiry` when it was never issued);
 * the key strength of a certificate that cannot be read is `unknown`.
 */
export function certificateOutcomes(
  options: CertificateCheckContext & { item: CertificateItem },
): CertificateCheckOutcome[] {
  const { item, ...context } = options;
  const label = labelOf(item);
  return verdictsOf(item, context).map(({ id, state, note }) => ({
    id,
    state,
    message: `${label} ${note}.`,
  }));
}

/** Worst first: a known failure outranks what is unknown, and unknown outranks a warning. */
const SEVERITY: Record<Exclude<CheckState, 'not-applicable'>, number> = {
  fail: 3,
  unknown: 2,
  warn: 1,
  pass: 0,
};

interface CheckSpec {
  title: string;
  /** The entity's sentence when every certificate passes. */
  passed: (total: number, policy: ResolvedCertificatePolicy) => string;
  /** What the certificates in the worst state have in common, after `1 of 3 certificates`. */
  headline: Partial<Record<CheckState, (one: boolean) => string>>;
  /** How the items' values make the entity's, with its threshold. */
  measure?: {
    fold: (values: number[]) => number;
    threshold: (policy: ResolvedCertificatePolicy) => number | undefined;
    unit: 'seconds' | 'count';
    bound: 'at-most' | 'at-least';
  };
}

const verb = (one: boolean, singular: string, many: string) =>
  one ? singular : many;
const all = (total: number) =>
  total === 1 ? 'The certificate' : `Each of the ${total} certificates`;
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const countOf = {
  fold: sum,
  threshold: () => 0,
  unit: 'count' as const,
  bound: 'at-most' as const,
};

const SPECS: Record<CertificateCheckId, CheckSpec> = {
  'certificate.expiry': {
    title: 'Certificates far from expiry',
    passed: (total, { policy }) =>
      `${all(total)} is valid for at least ${span(
        policy.expiryWarningSeconds * 1000,
      )} more (the warning threshold).`,
    headline: {
      fail: one =>
        `${verb(one, 'has', 'have')} expired or ${verb(
          one,
          'expires',
          'expire',
        )} within the failure threshold`,
      warn: one =>
        `${verb(one, 'expires', 'expire')} within the warning threshold`,
    },
    measure: {
      fold: values => Math.min(...values),
      threshold: ({ policy }) => policy.expiryWarningSeconds,
      unit: 'seconds',
      bound: 'at-least',
    },
  },
  'certificate.ready': {
    title: 'Certificates Ready',
    passed: total =>
      `cert-manager reports ${
        total === 1 ? 'the Certificate' : `all ${total} Certificates`
      } Ready.`,
    headline: {
      fail: one => `${verb(one, 'is', 'are')} not Ready`,
      warn: one => `${verb(one, 'is', 'are')} not known to be Ready`,
    },
    measure: countOf,
  },
  'certificate.renewal-scheduled': {
    title: 'Renewal scheduled',
    passed: total =>
      `${all(total)} has a renewal scheduled in the future, before it expires.`,
    headline: {
      fail: one => `${verb(one, 'is', 'are')} not being renewed`,
      warn: one => `${verb(one, 'has', 'have')} a renewal at risk`,
    },
  },
  'certificate.issuance-failures': {
    title: 'No failed issuance',
    passed: () => 'cert-manager reports no failed issuance attempt.',
    headline: {
      fail: one => `${verb(one, 'has', 'have')} failed issuance attempts`,
    },
    measure: countOf,
  },
  'certificate.key-rotation': {
    title: 'Private key rotated',
    passed: total => `${all(total)} gets a new private key at every renewal.`,
    headline: {
      fail: one =>
        `${verb(one, 'keeps', 'keep')} the private key across renewals`,
    },
    measure: countOf,
  },
  'certificate.lifetime': {
    title: 'Short-lived certificates',
    passed: (total, { policy }) =>
      `${all(total)} is valid for at most ${span(
        policy.maxLifetimeSeconds * 1000,
        Math.round,
      )} (the maximum lifetime).`,
    headline: {
      fail: one =>
        `${verb(one, 'is', 'are')} valid for longer than the maximum`,
    },
    measure: {
      fold: values => Math.max(...values),
      threshold: ({ policy }) => policy.maxLifetimeSeconds,
      unit: 'seconds',
      bound: 'at-most',
    },
  },
  'certificate.key-strength': {
    title: 'Strong keys and signatures',
    passed: total =>
      `${all(
        total,
      )} has a strong key (RSA of 2048 bits or more, ECDSA P-256 or larger, Ed25519) and no SHA-1 or MD5 signature in its chain.`,
    headline: {
      fail: one => `${verb(one, 'has', 'have')} a weak key or signature`,
    },
  },
  'certificate.secret-in-sync': {
    title: 'Secret holds the issued certificate',
    passed: total =>
      `${
        total === 1 ? 'The Secret holds' : `Each of the ${total} Secrets holds`
      } the certificate cert-manager reports.`,
    headline: {
      fail: one =>
        `${verb(one, 'does', 'do')} not have the issued certificate in ${verb(
          one,
          'its Secret',
          'their Secrets',
        )}`,
    },
    measure: countOf,
  },
  'certificate.managed': {
    title: 'Managed by cert-manager',
    passed: total =>
      `${
        total === 1 ? 'The TLS Secret is' : `All ${total} TLS Secrets are`
      } managed by cert-manager.`,
    headline: {
      warn: one => `${verb(one, 'is', 'are')} rotated by hand`,
    },
    measure: countOf,
  },
};

const evidenceOf = (item: CertificateItem, note: string): CheckEvidence => ({
  kind: item.certificate ? 'certificate' : 'secret',
  cluster: item.cluster,
  namespace: item.namespace,
  name: nameOf(item),
  note,
});

const itemName = (item: CertificateItem) =>
  `${item.cluster}/${item.namespace}/${nameOf(item)}`;

/**
 * Folds one check's verdicts over the entity's items: the worst state wins; the message lists
 * the items in that state with what each says; the evidence names every item not passing.
 */
function fold(options: {
  id: CertificateCheckId;
  input: CertificateCheckInput;
  verdicts: Array<{ item: CertificateItem; verdict: Verdict }>;
  uncollected: string[];
}): CheckResult {
  const { id, input, verdicts, uncollected } = options;
  const spec = SPECS[id];
  const judged = verdicts.filter(v => v.verdict.state !== 'not-applicable');
  const base = { id, title: spec.title };
  const missing = uncollected.length
    ? `The certificates of cluster ${uncollected.join(
        ', ',
      )} have never been collected.`
    : '';
  if (judged.length === 0) {
    if (missing) {
      return { ...base, state: 'unknown', message: missing, evidence: [] };
    }
    return {
      ...base,
      state: 'not-applicable',
      message: input.items.length
        ? "No Certificate manages the entity's TLS Secrets, so cert-manager reports nothing to check."
        : 'The entity has no TLS certificate.',
      evidence: [],
    };
  }
  let state = judged.reduce<Exclude<CheckState, 'not-applicable'>>(
    (worst, { verdict }) => {
      const s = verdict.state as Exclude<CheckState, 'not-applicable'>;
      return SEVERITY[s] > SEVERITY[worst] ? s : worst;
    },
    'pass',
  );
  const policyKnown = {
    'certificate.expiry': input.policy.expiryKnown,
    'certificate.lifetime': input.policy.lifetimeKnown,
  }[id as string];
  const measure = spec.measure;
  const values = judged.map(v => v.verdict.value);
  const value =
    measure && values.every(v => v !== undefined)
      ? measure.fold(values as number[])
      : undefined;
  const threshold =
    measure && policyKnown !== false
      ? measure.threshold(input.policy)
      : undefined;
  const measured = measure
    ? { value, threshold, unit: measure.unit, bound: measure.bound }
    : {};
  const evidence = judged
    .filter(v => v.verdict.state !== 'pass')
    .map(v => evidenceOf(v.item, v.verdict.note));
  if (state === 'pass' && missing) state = 'unknown';
  if (state === 'pass') {
    return {
      ...base,
      ...measured,
      state,
      message: spec.passed(judged.length, input.policy),
      evidence,
    };
  }
  const worst = judged.filter(v => v.verdict.state === state);
  if (worst.length === 0) {
    // Every certificate passed; a cluster never collected may hide more.
    return {
      ...base,
      ...measured,
      state,
      message: `${spec.passed(judged.length, input.policy)} ${missing}`,
      evidence,
    };
  }
  const listed = worst
    .slice(0, 3)
    .map(({ item, verdict }) => `${itemName(item)} ${verdict.note}`);
  if (worst.length > 3) listed.push(`and ${worst.length - 3} more`);
  const one = worst.length === 1;
  const headline = spec.headline[state]?.(one) ?? 'cannot be checked';
  return {
    ...base,
    ...measured,
    state,
    message: `${worst.length} of ${plural(
      judged.length,
      'certificate',
    )} ${headline}: ${listed.join('; ')}.${missing ? ` ${missing}` : ''}`,
    evidence,
  };
}

/**
 * The certificate checks of an entity, in the order of `CERTIFICATE_CHECK_IDS`. Each folds the
 * outcomes of every item (see {@link certificateOutcomes}): the worst state wins; the evidence
 * names each certificate (or hand-managed Secret) that does not pass, with what it says; the
 * value is measured against the policy where a number means something (expiry: the fewest
 * seconds left, at least the warning threshold; lifetime: the longest, at most the maximum;
 * counts of certificates not Ready, failed attempts, keys kept, Secrets out of sync or rotated
 * by hand, at most 0). `not-applicable` when the entity has no certificate; `unknown` when the
 * sources that would show its certificates were never collected.
 */
export function certificateChecks(input: CertificateCheckInput): CheckResult[] {
  const verdicts = input.items.map(item => ({
    item,
    verdicts: verdictsOf(item, input),
  }));
  const uncollected = input.clusters.filter(
    cluster =>
      !input.collected(cluster, 'certificates') ||
      !input.collected(cluster, 'tls-secrets'),
  );
  return CERTIFICATE_CHECK_IDS.map(id =>
    fold({
      id,
      input,
      uncollected,
      verdicts: verdicts.flatMap(({ item, verdicts: ofItem }) =>
        ofItem.filter(v => v.id === id).map(verdict => ({ item, verdict })),
      ),
    }),
  );
}
