import {
  CertificateSummary,
  EffectiveCertificatePolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import { bySoonestExpiry, expiryState, ExpiryState } from '../certificates';

/** A certificate's validity on the chart, in milliseconds since the epoch. */
export interface ExpiryBar {
  certificate: CertificateSummary;
  state: ExpiryState;
  /** `notBefore`. */
  from: number;
  /** `notAfter`. */
  to: number;
  /** From here on, less than the warning threshold is left. */
  warnFrom: number;
  /** From here on, less than the failure threshold is left. */
  failFrom: number;
  /** The next renewal, if known. */
  renewal?: number;
}

/** What the expiry chart draws. */
export interface ExpiryTimeline {
  /** The window and the time of the response, in milliseconds since the epoch. */
  start: number;
  end: number;
  now: number;
  /** Soonest expiry first. */
  bars: ExpiryBar[];
  /** Certificates whose validity could not be read, which cannot be placed. */
  undated: CertificateSummary[];
  counts: Record<ExpiryState, number>;
}

const DAY = 86400 * 1000;
/** How far back and ahead the window reaches at most, so that a 10-year CA does not flatten all. */
const MOST_BEFORE = 90 * DAY;
const MOST_AFTER = 180 * DAY;
/** Room on either side of what must be seen. */
const MARGIN = 7 * DAY;

/**
 * Places certificates on a window around the time of the response: from the earliest `notBefore`
 * (at most 90 days back) to the latest `notAfter` (at most 180 days ahead), always showing the
 * warning threshold ahead of now and the end of every expired certificate.
 */
export function buildExpiryTimeline(options: {
  certificates: CertificateSummary[];
  policy: EffectiveCertificatePolicy;
  generatedAt: string;
}): ExpiryTimeline {
  const { policy } = options;
  const now = Date.parse(options.generatedAt);
  const counts: Record<ExpiryState, number> = {
    expired: 0,
    fail: 0,
    warn: 0,
    pass: 0,
    unknown: 0,
  };
  const bars: ExpiryBar[] = [];
  const undated: CertificateSummary[] = [];
  for (const certificate of [...options.certificates].sort(bySoonestExpiry)) {
    const to = Date.parse(certificate.notAfter ?? '');
    if (Number.isNaN(to)) {
      undated.push(certificate);
      counts.unknown++;
      continue;
    }
    const from = Date.parse(certificate.notBefore ?? '');
    // Seconds left as the backend counted them, else from the time of the response.
    const state = expiryState(
      certificate.secondsLeft ?? (to - now) / 1000,
      policy,
    );
    counts[state]++;
    const renewal = Date.parse(certificate.renewalTime ?? '');
    bars.push({
      certificate,
      state,
      from: Number.isNaN(from) ? Math.min(to, now) : from,
      to,
      warnFrom: to - policy.expiryWarningSeconds * 1000,
      failFrom: to - policy.expiryFailureSeconds * 1000,
      renewal: Number.isNaN(renewal) ? undefined : renewal,
    });
  }
  const earliest = Math.min(now, ...bars.map(b => b.from));
  const latest = Math.max(now, ...bars.map(b => b.to));
  const start = Math.min(
    Math.max(earliest, now - MOST_BEFORE),
    now - MARGIN,
    ...bars.map(b => b.to - MARGIN),
  );
  const end = Math.max(
    Math.min(latest, now + MOST_AFTER),
    now + policy.expiryWarningSeconds * 1000 + MARGIN,
  );
  return { start, end, now, bars, undated, counts };
}
