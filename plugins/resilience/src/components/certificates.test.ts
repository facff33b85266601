import { CertificateSummary } from '@resilience-for-backstage/plugin-resilience-common';
import {
  bySoonestExpiry,
  expiryReason,
  expiryState,
  expiryText,
} from './certificates';

const policy = {
  expiryWarningSeconds: 28 * 86400,
  expiryFailureSeconds: 14 * 86400,
  maxLifetimeSeconds: 90 * 86400,
};
const DAY = 86400;

describe('expiryState', () => {
  it.each([
    [undefined, 'unknown'],
    [-1, 'expired'],
    [0, 'expired'],
    [1, 'fail'],
    [14 * DAY - 1, 'fail'],
    [14 * DAY, 'warn'],
    [28 * DAY - 1, 'warn'],
    [28 * DAY, 'pass'],
    [60 * DAY, 'pass'],
  ])('%s seconds left → %s', (left, state) => {
    expect(expiryState(left, policy)).toBe(state);
  });
});

describe('expiryText', () => {
  it.each([
    [undefined, 'validity unknown'],
    [-3 * DAY - 5, 'expired 3 d ago'],
    [0, 'expired 0 s ago'],
    [5 * 3600, '5 h left'],
    [20 * DAY + 3600, '20 d left'],
  ])('%s → %s', (left, text) => {
    expect(expiryText(left)).toBe(text);
  });
});

describe('expiryReason', () => {
  it.each([
    ['fail' as const, 'less than the 14 d failure threshold'],
    ['warn' as const, 'less than the 28 d warning threshold'],
    ['pass' as const, 'more than the 28 d warning threshold'],
    ['expired' as const, 'clients reject it'],
    ['unknown' as const, 'the Secret could not be read'],
  ])('%s → %s', (state, text) => {
    expect(expiryReason(state, policy)).toBe(text);
  });
});

describe('bySoonestExpiry', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');
  const cert = (name: string, secondsLeft?: number) =>
    ({
      cluster: 'prod',
      namespace: 'payments',
      name,
      notAfter:
        secondsLeft === undefined
          ? undefined
          : new Date(now + secondsLeft * 1000).toISOString(),
    } as CertificateSummary);

  it('puts unknown validity first, then the soonest expiry, then names', () => {
    expect(
      [
        cert('later', 60 * DAY),
        cert('b-soon', 3 * DAY),
        cert('expired', -DAY),
        cert('unreadable'),
        cert('a-soon', 3 * DAY),
      ]
        .sort(bySoonestExpiry)
        .map(c => c.name),
    ).toEqual(['unreadable', 'expired', 'a-soon', 'b-soon', 'later']);
  });
});
