import { markAt, openPeriods, ReplayUpload } from './replay';

const at = (day: number) => `2026-11-${String(day).padStart(2, '0')}T00:00:00Z`;
const t = (day: number) => Date.parse(at(day));

function upload(
  day: number,
  findings: Array<[string, number, string?]>,
  branch = 'main',
): ReplayUpload {
  return {
    tool: 'ESLint',
    category: '',
    branch,
    scannedAt: at(day),
    log: {
      runs: [
        {
          tool: { driver: { rules: [] } },
          results: findings.map(([hash, score, suppression]) => ({
            ruleId: 'r',
            properties: { 'security-severity': String(score) },
            partialFingerprints: { primaryLocationLineHash: hash },
            suppressions: suppression ? [{ status: suppression }] : undefined,
          })),
        },
      ],
    },
  };
}

describe('the tests’ replay of a SAST history', () => {
  const replayed = openPeriods([
    upload(2, []),
    upload(4, [['a', 9.5]]),
    upload(6, []),
    upload(8, [['a', 9.5]]),
    // Out of order: older than the scan of the 8th, changes nothing.
    upload(7, [['late', 9.5]]),
    upload(10, [['a', 7.5]]),
    upload(12, [['a', 7.5, 'accepted']]),
    upload(13, [['b', 8.0, 'underReview']]),
    upload(5, [['feature', 9.9]], 'feature/x'),
  ]);

  it.each<[number, object]>([
    [1, { mark: 'unknown' }],
    [3, { mark: 'known-good' }],
    [4, { mark: 'vulnerable', openCritical: 1, openHigh: 0 }],
    // Fixed on the 6th, back on the 8th: not open in between, the feature branch not counting.
    [6, { mark: 'known-good' }],
    [7, { mark: 'known-good' }],
    [9, { mark: 'vulnerable', openCritical: 1 }],
    [11, { mark: 'vulnerable', openCritical: 0, openHigh: 1 }],
    [12, { mark: 'known-good' }],
    [14, { mark: 'vulnerable', openHigh: 1 }],
  ])('marks a backup of day %i', (day, expected) => {
    expect(markAt(t(day), replayed)).toMatchObject(expected);
  });
});
