import { backupSecurityMark, FindingSpan } from './backupSecurity';

const t = (day: number) => new Date(Date.UTC(2026, 10, day, 2, 0, 0));

const findings: FindingSpan[] = [
  // A high open from the 10th, fixed (no longer seen) by the scan of the 15th.
  { severity: 'high', openedAt: t(10), closedAt: t(15) },
  // A critical open from the 20th, still open.
  { severity: 'critical', openedAt: t(20) },
  // A medium open throughout: it never makes a backup vulnerable.
  { severity: 'medium', openedAt: t(1) },
  // The same high reopened from the 26th to the 28th.
  { severity: 'high', openedAt: t(26), closedAt: t(28) },
];

describe('backupSecurityMark', () => {
  it.each<[string, Date | undefined, Date | undefined, object]>([
    ['before any scan', t(3), t(5), { mark: 'unknown' }],
    ['without a start time', undefined, t(1), { mark: 'unknown' }],
    ['with no scan at all', t(12), undefined, { mark: 'unknown' }],
    [
      'after the first scan, nothing open',
      t(7),
      t(5),
      { mark: 'known-good', openCritical: 0, openHigh: 0 },
    ],
    [
      'when the high was first seen',
      t(10),
      t(5),
      { mark: 'vulnerable', openHigh: 1 },
    ],
    [
      'while the high was open',
      t(12),
      t(5),
      { mark: 'vulnerable', openCritical: 0, openHigh: 1 },
    ],
    ['when the fix was seen', t(15), t(5), { mark: 'known-good' }],
    ['between the fix and the critical', t(18), t(5), { mark: 'known-good' }],
    [
      'while the critical is open',
      t(24),
      t(5),
      { mark: 'vulnerable', openCritical: 1, openHigh: 0 },
    ],
    [
      'while the critical and the reopened high are open',
      t(27),
      t(5),
      { mark: 'vulnerable', openCritical: 1, openHigh: 1 },
    ],
  ])('a backup %s', (_, at, firstScanAt, expected) => {
    expect(backupSecurityMark({ at, findings, firstScanAt })).toMatchObject(
      expected,
    );
  });
});
