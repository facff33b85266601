import {
  CertificateSummary,
  EffectiveCertificatePolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import { formatAge, formatDuration } from './format';

/**
 * How close a certificate is to its end of validity, against the policy's thresholds:
 *
 * - `expired`: `notAfter` has passed;
 * - `fail`: less than `expiryFailureSeconds` left;
 * - `warn`: less than `expiryWarningSeconds` left;
 * - `pass`: more left than that;
 * - `unknown`: the validity could not be read (the Secret is missing or unparsable).
 */
export type ExpiryState = 'expired' | 'fail' | 'warn' | 'pass' | 'unknown';

/** The expiry state of a certificate with `secondsLeft` seconds left (undefined: unknown). */
export function expiryState(
  secondsLeft: number | undefined,
  policy: EffectiveCertificatePolicy,
): ExpiryState {
  if (secondsLeft === undefined) return 'unknown';
  if (secondsLeft <= 0) return 'expired';
  if (secondsLeft < policy.expiryFailureSeconds) return 'fail';
  if (secondsLeft < policy.expiryWarningSeconds) return 'warn';
  return 'pass';
}

/** What is left of a certificate, in words: `20 d left`, `5 h left`, `expired 3 d ago`. */
export function expiryText(secondsLeft: number | undefined): string {
  if (secondsLeft === undefined) return 'validity unknown';
  if (secondsLeft <= 0) return `expired ${formatAge(-secondsLeft)} ago`;
  return `${formatAge(secondsLeft)} left`;
}

/** Why a certificate has its expiry state, against which threshold. */
export function expiryReason(
  state: ExpiryState,
  policy: EffectiveCertificatePolicy,
): string {
  switch (state) {
    case 'expired':
      return 'clients reject it';
    case 'fail':
      return `less than the ${formatDuration(
        policy.expiryFailureSeconds,
      )} failure threshold`;
    case 'warn':
      return `less than the ${formatDuration(
        policy.expiryWarningSeconds,
      )} warning threshold`;
    case 'pass':
      return `more than the ${formatDuration(
        policy.expiryWarningSeconds,
      )} warning threshold`;
    default:
      return 'the Secret could not be read';
  }
}

/**
 * Certificates soonest `notAfter` first; those whose validity is unknown before all, since they
 * may have expired already.
 */
export function bySoonestExpiry(
  a: CertificateSummary,
  b: CertificateSummary,
): number {
  const end = (c: CertificateSummary) => {
    const t = Date.parse(c.notAfter ?? '');
    return Number.isNaN(t) ? Number.NEGATIVE_INFINITY : t;
  };
  return (
    // Two unknowns give NaN, which falls through to the names.
    end(a) - end(b) ||
    a.cluster.localeCompare(b.cluster) ||
    a.namespace.localeCompare(b.namespace) ||
    a.name.localeCompare(b.name)
  );
}

/** A certificate's key in lists: its cluster, namespace and name. */
export function certificateKey(c: {
  cluster: string;
  namespace: string;
  name: string;
}): string {
  return `${c.cluster}/${c.namespace}/${c.name}`;
}
