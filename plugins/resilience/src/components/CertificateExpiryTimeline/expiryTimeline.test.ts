import { CertificateSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { buildExpiryTimeline } from './expiryTimeline';

const DAY = 86400;
const policy = {
  expiryWarningSeconds: 28 * DAY,
  expiryFailureSeconds: 14 * DAY,
  maxLifetimeSeconds: 90 * DAY,
};
const generatedAt = '2026-11-25T12:00:00Z';

function cert(
  name: string,
  notBefore?: string,
  notAfter?: string,
): CertificateSummary {
  return {
    cluster: 'prod',
    namespace: 'payments',
    name,
    managedBy: 'cert-manager',
    secretName: name,
    dnsNames: [],
    notBefore,
    notAfter,
    renewalTimeComputed: false,
    issuing: false,
    chain: [],
    checks: [],
  };
}

const iso = (t: number) => new Date(t).toISOString();

describe('buildExpiryTimeline', () => {
  it.each([
    [
      'nothing: a week back and the warning threshold and a week ahead',
      [],
      '2026-11-18T12:00:00.000Z',
      '2026-12-30T12:00:00.000Z',
    ],
    [
      'a 90-day certificate: its whole validity',
      [cert('a', '2026-10-26T12:00:00Z', '2027-01-24T12:00:00Z')],
      '2026-10-26T12:00:00.000Z',
      '2027-01-24T12:00:00.000Z',
    ],
    [
      'a 10-year CA: at most 90 days back and 180 days ahead',
      [cert('ca', '2020-01-01T00:00:00Z', '2030-01-01T00:00:00Z')],
      '2026-08-27T12:00:00.000Z',
      '2027-05-24T12:00:00.000Z',
    ],
    [
      'long expired: a week before its end',
      [cert('old', '2025-01-01T00:00:00Z', '2025-06-01T00:00:00Z')],
      '2025-05-25T00:00:00.000Z',
      '2026-12-30T12:00:00.000Z',
    ],
  ])('%s', (_, certificates, start, end) => {
    const timeline = buildExpiryTimeline({ certificates, policy, generatedAt });
    expect([iso(timeline.start), iso(timeline.end)]).toEqual([start, end]);
  });

  it('puts the certificates without a validity aside, counts the others by state', () => {
    const timeline = buildExpiryTimeline({
      certificates: [
        cert('later', '2026-10-26T12:00:00Z', '2027-01-24T12:00:00Z'),
        cert('unreadable'),
        cert('soon', '2026-09-01T12:00:00Z', '2026-12-05T12:00:00Z'),
      ],
      policy,
      generatedAt,
    });
    expect(timeline.bars.map(b => [b.certificate.name, b.state])).toEqual([
      ['soon', 'fail'],
      ['later', 'pass'],
    ]);
    expect(timeline.undated.map(c => c.name)).toEqual(['unreadable']);
    expect(timeline.counts).toEqual({
      expired: 0,
      fail: 1,
      warn: 0,
      pass: 1,
      unknown: 1,
    });
    expect(iso(timeline.bars[0].failFrom)).toBe('2026-11-21T12:00:00.000Z');
    expect(iso(timeline.bars[0].warnFrom)).toBe('2026-11-07T12:00:00.000Z');
  });
});
