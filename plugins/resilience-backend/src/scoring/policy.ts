import { Config, readDurationFromConfig } from '@backstage/config';
import { Entity } from '@backstage/catalog-model';
import { durationToMilliseconds } from '@backstage/types';
import {
  ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_FAILURE,
  ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_WARNING,
  ANNOTATION_RESILIENCE_CERTIFICATE_MAX_LIFETIME,
  ANNOTATION_RESILIENCE_RETENTION,
  ANNOTATION_RESILIENCE_RPO,
  ANNOTATION_RESILIENCE_RTO,
  ANNOTATION_RESILIENCE_SAST_HIGH_FINDING_SLA,
  ANNOTATION_RESILIENCE_SAST_SCAN_MAX_AGE,
  ANNOTATION_RESILIENCE_TIER,
  EffectiveBackupPolicy,
  EffectiveCertificatePolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import { formatDuration, parsePolicyDuration } from './durations';

/** The certificate thresholds of one policy tier. */
export interface CertificateTier {
  /** Below this much time before `notAfter`, `certificate.expiry` warns. */
  expiryWarningMs: number;
  /** Below this much time before `notAfter`, `certificate.expiry` fails. */
  expiryFailureMs: number;
  /** The longest lifetime `certificate.lifetime` accepts. */
  maxLifetimeMs: number;
}

/** The code-security thresholds of one policy tier. */
export interface SastTier {
  /** The oldest a high finding may be before `sast.high-age` fails. */
  highFindingSlaMs: number;
  /** The oldest the latest scan of the default branch may be. */
  scanMaxAgeMs: number;
  /** Tools that must have scanned the default branch, by `tool.driver.name`. */
  requiredTools: string[];
}

/** The recovery thresholds of one policy tier. */
export interface RecoveryTier {
  /** The recovery time objective; unset, `recovery.rto` is not applicable. */
  rtoMs?: number;
  /** The oldest the latest successful restore test may be. */
  maxTestAgeMs: number;
}

/** The recovery thresholds of a tier that sets none: a restore test at least every 30 days. */
export const DEFAULT_RECOVERY_TIER: RecoveryTier = {
  maxTestAgeMs: 30 * 86_400_000,
};

/**
 * The code-security thresholds of a tier that sets none: a high finding is fixed within 30
 * days, the default branch is scanned at least weekly, no tool is required.
 */
export const DEFAULT_SAST_TIER: SastTier = {
  highFindingSlaMs: 30 * 86_400_000,
  scanMaxAgeMs: 7 * 86_400_000,
  requiredTools: [],
};

/** The values of one policy tier: its backup policy and its certificate and SAST thresholds. */
export interface BackupTier {
  rpoMs: number;
  retentionMs: number;
  recentBackups: number;
  certificates: CertificateTier;
  sast: SastTier;
  recovery: RecoveryTier;
  /** Checks that do not apply to the tier's entities (`checks.exclude`): not applicable. */
  excludedChecks: string[];
}

/**
 * The certificate thresholds of a tier that sets none: warn 28 days before expiry (cert-manager
 * renews a 90-day certificate 30 days before it expires by default, so a healthy one never gets
 * there), fail 14 days before, and a lifetime of at most 90 days (what public CAs issue).
 */
export const DEFAULT_CERTIFICATE_TIER: CertificateTier = {
  expiryWarningMs: 28 * 86_400_000,
  expiryFailureMs: 14 * 86_400_000,
  maxLifetimeMs: 90 * 86_400_000,
};

/** `resilience.policies`, read once at start-up. */
export interface PolicyConfig {
  defaultTier: string;
  tiers: Record<string, BackupTier>;
}

/** The tier used when `resilience.policies` is absent. */
export const BUILT_IN_POLICIES: PolicyConfig = {
  defaultTier: 'standard',
  tiers: {
    standard: {
      rpoMs: 24 * 3_600_000,
      retentionMs: 7 * 86_400_000,
      recentBackups: 5,
      certificates: DEFAULT_CERTIFICATE_TIER,
      sast: DEFAULT_SAST_TIER,
      recovery: DEFAULT_RECOVERY_TIER,
      excludedChecks: [],
    },
  },
};

const TIER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Reads a positive duration at `key` of `config` (`path` names that config in errors): a
 * `HumanDuration` object or an ISO 8601 string; `fallback` when absent, else an error.
 */
export function readDuration(
  config: Config,
  key: string,
  path: string,
  fallback?: number,
): number {
  if (!config.has(key)) {
    if (fallback !== undefined) return fallback;
    throw new Error(
      `${path}.${key} is missing; give a duration such as { hours: 24 } or an ISO 8601 string such as PT24H`,
    );
  }
  let ms: number;
  try {
    ms = durationToMilliseconds(readDurationFromConfig(config, { key }));
  } catch (error) {
    throw new Error(`${path}.${key} is not a duration: ${error}`);
  }
  if (!(ms > 0)) {
    throw new Error(`${path}.${key} must be a positive duration`);
  }
  return ms;
}

const days = (ms: number) => `${+(ms / 86_400_000).toFixed(2)} days`;

/** Reads a tier's `certificates`, each key defaulting to {@link DEFAULT_CERTIFICATE_TIER}. */
function readCertificateTier(tier: Config, tierPath: string): CertificateTier {
  const config = tier.getOptionalConfig('certificates');
  if (!config) return DEFAULT_CERTIFICATE_TIER;
  const path = `${tierPath}.certificates`;
  const read = (key: string, fallback: number) =>
    readDuration(config, key, path, fallback);
  const certificates: CertificateTier = {
    expiryWarningMs: read(
      'expiryWarning',
      DEFAULT_CERTIFICATE_TIER.expiryWarningMs,
    ),
    expiryFailureMs: read(
      'expiryFailure',
      DEFAULT_CERTIFICATE_TIER.expiryFailureMs,
    ),
    maxLifetimeMs: read('maxLifetime', DEFAULT_CERTIFICATE_TIER.maxLifetimeMs),
  };
  if (certificates.expiryWarningMs <= certificates.expiryFailureMs) {
    const given = (key: string) => (config.has(key) ? '' : ', the default');
    throw new Error(
      `${path}.expiryWarning (${days(certificates.expiryWarningMs)}${given(
        'expiryWarning',
      )}) must be larger than ${path}.expiryFailure (${days(
        certificates.expiryFailureMs,
      )}${given('expiryFailure')}): a certificate warns before it fails`,
    );
  }
  return certificates;
}

/** Reads a tier's `sast`, each key defaulting to {@link DEFAULT_SAST_TIER}. */
function readSastTier(tier: Config, tierPath: string): SastTier {
  const config = tier.getOptionalConfig('sast');
  if (!config) return DEFAULT_SAST_TIER;
  const path = `${tierPath}.sast`;
  const requiredTools =
    config.getOptionalStringArray('requiredTools') ??
    DEFAULT_SAST_TIER.requiredTools;
  if (requiredTools.some(tool => tool.trim() === '')) {
    throw new Error(
      `${path}.requiredTools: a tool is named as its SARIF tool.driver.name, for example "secretlint"; an empty name cannot match`,
    );
  }
  return {
    highFindingSlaMs: readDuration(
      config,
      'highFindingSla',
      path,
      DEFAULT_SAST_TIER.highFindingSlaMs,
    ),
    scanMaxAgeMs: readDuration(
      config,
      'scanMaxAge',
      path,
      DEFAULT_SAST_TIER.scanMaxAgeMs,
    ),
    requiredTools,
  };
}

function readRecoveryTier(tier: Config, tierPath: string): RecoveryTier {
  const config = tier.getOptionalConfig('recovery');
  if (!config) return DEFAULT_RECOVERY_TIER;
  const path = `${tierPath}.recovery`;
  return {
    rtoMs: config.has('rto') ? readDuration(config, 'rto', path) : undefined,
    maxTestAgeMs: readDuration(
      config,
      'maxTestAge',
      path,
      DEFAULT_RECOVERY_TIER.maxTestAgeMs,
    ),
  };
}

/**
 * Reads `resilience.policies`: named tiers, each with an RPO, a retention, how many recent
 * backups to look at for failures and its certificate thresholds, and the tier of entities that
 * name none.
 *
 * @throws Error naming the key that is wrong.
 */
export function readPolicyConfig(config: Config): PolicyConfig {
  const policies = config.getOptionalConfig('resilience.policies');
  if (!policies) {
    return BUILT_IN_POLICIES;
  }
  const tiersConfig = policies.getConfig('tiers');
  const tiers: Record<string, BackupTier> = {};
  for (const name of tiersConfig.keys()) {
    const path = `resilience.policies.tiers.${name}`;
    if (!TIER_NAME.test(name)) {
      throw new Error(
        `${path}: a tier name is lowercase letters, digits and dashes, for example "critical"`,
      );
    }
    const tier = tiersConfig.getConfig(name);
    const recentBackups = tier.getOptionalNumber('recentBackups') ?? 5;
    if (
      !Number.isInteger(recentBackups) ||
      recentBackups < 1 ||
      recentBackups > 100
    ) {
      throw new Error(
        `${path}.recentBackups must be a whole number from 1 to 100, not ${recentBackups}`,
      );
    }
    tiers[name] = {
      rpoMs: readDuration(tier, 'rpo', path),
      retentionMs: readDuration(tier, 'retention', path),
      recentBackups,
      certificates: readCertificateTier(tier, path),
      sast: readSastTier(tier, path),
      recovery: readRecoveryTier(tier, path),
      excludedChecks: tier.getOptionalStringArray('checks.exclude') ?? [],
    };
  }
  const names = Object.keys(tiers);
  if (names.length === 0) {
    throw new Error('resilience.policies.tiers must define at least one tier');
  }
  const defaultTier =
    policies.getOptionalString('defaultTier') ??
    (names.length === 1 ? names[0] : undefined);
  if (!defaultTier) {
    throw new Error(
      `resilience.policies.defaultTier is needed when there are several tiers; one of ${names.join(
        ', ',
      )}`,
    );
  }
  if (!tiers[defaultTier]) {
    throw new Error(
      `resilience.policies.defaultTier is "${defaultTier}", which is not a tier; the tiers are ${names.join(
        ', ',
      )}`,
    );
  }
  return { defaultTier, tiers };
}

/**
 * Makes sure every check a tier excludes exists, so that a typo does not leave a check in force
 * that somebody meant to turn off (or the other way round).
 *
 * @throws Error naming the key and the known checks.
 */
export function assertExcludedChecksKnown(
  config: PolicyConfig,
  knownChecks: string[],
) {
  for (const [name, tier] of Object.entries(config.tiers)) {
    const unknown = tier.excludedChecks.filter(id => !knownChecks.includes(id));
    if (unknown.length > 0) {
      throw new Error(
        `resilience.policies.tiers.${name}.checks.exclude names ${unknown
          .map(id => `"${id}"`)
          .join(', ')}, which ${
          unknown.length === 1 ? 'is not a check' : 'are not checks'
        }; the checks are ${knownChecks.join(', ')}`,
      );
    }
  }
}

/** The tier an entity is held to, for scoring: its name and the checks it excludes. */
export function resolveScoringTier(
  entity: Entity,
  config: PolicyConfig,
): { tier: string; excludedChecks: string[] } {
  const { tierName } = resolveTier(entity, config);
  return {
    tier: tierName,
    excludedChecks: config.tiers[tierName].excludedChecks,
  };
}

/** The policy of one entity, and which of its values can be trusted. */
export interface ResolvedPolicy {
  policy: EffectiveBackupPolicy;
  /** False when the entity asked for an RPO that could not be read (or an unknown tier). */
  rpoKnown: boolean;
  /** False when the entity asked for a retention that could not be read (or an unknown tier). */
  retentionKnown: boolean;
}

/**
 * The tier an entity names with `resilience.io/tier`, or the default tier. An unknown tier is a
 * problem, and the default tier's values are then not trusted.
 */
function resolveTier(
  entity: Entity,
  config: PolicyConfig,
): { tierName: string; tierKnown: boolean; problems: string[] } {
  const asked =
    entity.metadata.annotations?.[ANNOTATION_RESILIENCE_TIER]?.trim();
  if (!asked || config.tiers[asked]) {
    return {
      tierName: asked || config.defaultTier,
      tierKnown: true,
      problems: [],
    };
  }
  return {
    tierName: config.defaultTier,
    tierKnown: false,
    problems: [
      `${ANNOTATION_RESILIENCE_TIER} is "${asked}", which is not a configured tier; use one of ${Object.keys(
        config.tiers,
      ).join(', ')}`,
    ],
  };
}

/**
 * Reads the duration annotations that override single thresholds of an entity's tier. A value
 * the entity asked for but got wrong is not replaced by the tier's silently: it is marked
 * unknown and the problem said, because holding a service to a laxer policy than it asked for
 * would be a wrong green. An unknown tier makes every value not overridden unknown, likewise.
 */
function thresholdReader(entity: Entity, config: PolicyConfig) {
  const annotations = entity.metadata.annotations ?? {};
  const { tierName, tierKnown, problems } = resolveTier(entity, config);
  const overriddenBy: string[] = [];
  const duration = (annotation: string, fallback: number) => {
    const text = annotations[annotation];
    if (text === undefined) {
      return { ms: fallback, known: tierKnown };
    }
    const parsed = parsePolicyDuration(text);
    if ('error' in parsed) {
      problems.push(`${annotation}: ${parsed.error}`);
      return { ms: fallback, known: false };
    }
    overriddenBy.push(annotation);
    return { ms: parsed.ms, known: true };
  };
  return {
    tierName,
    tier: config.tiers[tierName],
    tierKnown,
    problems,
    overriddenBy,
    duration,
  };
}

/**
 * The policy an entity is held to: the tier it names (or the default tier), with its RPO and
 * retention annotations on top (see {@link thresholdReader} for a wrong value).
 */
export function resolvePolicy(
  entity: Entity,
  config: PolicyConfig,
): ResolvedPolicy {
  const { tierName, tier, problems, overriddenBy, duration } = thresholdReader(
    entity,
    config,
  );
  const rpo = duration(ANNOTATION_RESILIENCE_RPO, tier.rpoMs);
  const retention = duration(ANNOTATION_RESILIENCE_RETENTION, tier.retentionMs);
  return {
    policy: {
      tier: tierName,
      rpoSeconds: Math.round(rpo.ms / 1000),
      retentionSeconds: Math.round(retention.ms / 1000),
      recentBackups: tier.recentBackups,
      overriddenBy,
      problems,
    },
    rpoKnown: rpo.known,
    retentionKnown: retention.known,
  };
}

/** The certificate thresholds of one entity, and which of them can be trusted. */
export interface ResolvedCertificatePolicy {
  policy: EffectiveCertificatePolicy;
  /**
   * False when the expiry thresholds cannot be trusted: a wrong
   * `resilience.io/certificate-expiry-*` annotation, a warning that comes after the failure, or
   * a tier that is not configured (the default tier's thresholds are then shown but not used to
   * judge, for the same reason as {@link resolvePolicy}'s).
   */
  expiryKnown: boolean;
  /** Likewise for the longest lifetime (`resilience.io/certificate-max-lifetime`). */
  lifetimeKnown: boolean;
  /** The annotations that overrode the tier. */
  overriddenBy: string[];
  /** What is wrong with the entity's tier or annotations, in sentences that say what to fix. */
  problems: string[];
}

/**
 * The certificate thresholds an entity is held to: those of the tier it names with
 * `resilience.io/tier`, or of the default tier, each overridden by its annotation.
 */
export function resolveCertificatePolicy(
  entity: Entity,
  config: PolicyConfig,
): ResolvedCertificatePolicy {
  const { tier, problems, overriddenBy, duration } = thresholdReader(
    entity,
    config,
  );
  const { certificates } = tier;
  const warning = duration(
    ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_WARNING,
    certificates.expiryWarningMs,
  );
  const failure = duration(
    ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_FAILURE,
    certificates.expiryFailureMs,
  );
  const lifetime = duration(
    ANNOTATION_RESILIENCE_CERTIFICATE_MAX_LIFETIME,
    certificates.maxLifetimeMs,
  );
  let expiryKnown = warning.known && failure.known;
  if (expiryKnown && warning.ms <= failure.ms) {
    // Only an override can get here: the tiers are checked at start-up.
    problems.push(
      `the certificate expiry warning (${formatDuration(
        warning.ms,
      )}) must come before the failure (${formatDuration(
        failure.ms,
      )}); check ${ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_WARNING} and ${ANNOTATION_RESILIENCE_CERTIFICATE_EXPIRY_FAILURE}`,
    );
    expiryKnown = false;
  }
  const seconds = (ms: number) => Math.round(ms / 1000);
  return {
    policy: {
      expiryWarningSeconds: seconds(warning.ms),
      expiryFailureSeconds: seconds(failure.ms),
      maxLifetimeSeconds: seconds(lifetime.ms),
    },
    expiryKnown,
    lifetimeKnown: lifetime.known,
    overriddenBy,
    problems,
  };
}

/** The code-security thresholds of one entity, and which of them can be trusted. */
export interface ResolvedSastPolicy {
  tier: string;
  policy: SastTier;
  /**
   * False when the high-finding SLA cannot be trusted: a wrong
   * `resilience.io/sast-high-finding-sla`, or a tier that is not configured.
   */
  highFindingSlaKnown: boolean;
  /** Likewise for the scan age (`resilience.io/sast-scan-max-age`). */
  scanMaxAgeKnown: boolean;
  overriddenBy: string[];
  problems: string[];
}

/**
 * The code-security thresholds an entity is held to: those of its tier (see
 * {@link resolveCertificatePolicy} for how the tier is chosen), each overridden by its
 * annotation.
 */
export function resolveSastPolicy(
  entity: Entity,
  config: PolicyConfig,
): ResolvedSastPolicy {
  const { tierName, tier, problems, overriddenBy, duration } = thresholdReader(
    entity,
    config,
  );
  const sla = duration(
    ANNOTATION_RESILIENCE_SAST_HIGH_FINDING_SLA,
    tier.sast.highFindingSlaMs,
  );
  const scanAge = duration(
    ANNOTATION_RESILIENCE_SAST_SCAN_MAX_AGE,
    tier.sast.scanMaxAgeMs,
  );
  return {
    tier: tierName,
    policy: {
      ...tier.sast,
      highFindingSlaMs: sla.ms,
      scanMaxAgeMs: scanAge.ms,
    },
    highFindingSlaKnown: sla.known,
    scanMaxAgeKnown: scanAge.known,
    overriddenBy,
    problems,
  };
}

/** Why each threshold of a resolved SAST policy cannot be trusted, for the checks. */
export function untrustedSastThresholds(resolved: ResolvedSastPolicy): {
  highFindingSla?: string;
  scanMaxAge?: string;
} {
  const why = resolved.problems.join('; ');
  return {
    highFindingSla: resolved.highFindingSlaKnown ? undefined : why,
    scanMaxAge: resolved.scanMaxAgeKnown ? undefined : why,
  };
}

/**
 * The backup policy of an entity as {@link resolvePolicy} reads it, whose `overriddenBy` and
 * `problems` also name the entity's certificate and code-security annotations: every wrong
 * annotation is said in one place, besides the checks it makes unknown.
 */
export function policyOfEntity(
  entity: Entity,
  config: PolicyConfig,
): ResolvedPolicy {
  const resolved = resolvePolicy(entity, config);
  const others = [
    resolveCertificatePolicy(entity, config),
    resolveSastPolicy(entity, config),
  ];
  const recovery = resolveRecoveryPolicy(entity, config);
  const union = (lists: string[][]) => [...new Set(lists.flat())];
  const rtoAnnotated =
    recovery.rtoKnown &&
    entity.metadata.annotations?.[ANNOTATION_RESILIENCE_RTO] !== undefined;
  return {
    ...resolved,
    policy: {
      ...resolved.policy,
      overriddenBy: union([
        resolved.policy.overriddenBy,
        ...others.map(o => o.overriddenBy),
        rtoAnnotated ? [ANNOTATION_RESILIENCE_RTO] : [],
      ]),
      problems: union([
        resolved.policy.problems,
        ...others.map(o => o.problems),
        recovery.problems,
      ]),
    },
  };
}

/** The recovery thresholds of one entity, and which of them can be trusted. */
export interface ResolvedRecoveryPolicy {
  policy: RecoveryTier;
  /** False when the RTO cannot be trusted (a wrong `resilience.io/rto`, an unknown tier). */
  rtoKnown: boolean;
  maxTestAgeKnown: boolean;
  problems: string[];
}

/**
 * The recovery thresholds an entity is held to: its tier's, with `resilience.io/rto` on top (see
 * {@link thresholdReader} for a wrong value).
 */
export function resolveRecoveryPolicy(
  entity: Entity,
  config: PolicyConfig,
): ResolvedRecoveryPolicy {
  const { tier, tierKnown, problems, duration } = thresholdReader(
    entity,
    config,
  );
  const { maxTestAgeMs, rtoMs } = tier.recovery;
  const annotated = entity.metadata.annotations?.[ANNOTATION_RESILIENCE_RTO];
  if (annotated === undefined && rtoMs === undefined) {
    // No objective anywhere: nothing to hold the RTO to, which is not a problem.
    return {
      policy: { maxTestAgeMs },
      rtoKnown: tierKnown,
      maxTestAgeKnown: tierKnown,
      problems,
    };
  }
  const rto = duration(ANNOTATION_RESILIENCE_RTO, rtoMs ?? 0);
  return {
    policy: { rtoMs: rto.ms, maxTestAgeMs },
    rtoKnown: rto.known && rto.ms > 0,
    maxTestAgeKnown: tierKnown,
    problems,
  };
}
