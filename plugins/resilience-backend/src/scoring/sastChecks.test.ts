import { CheckResult } from '@resilience-for-backstage/plugin-resilience-common';
import { DEFAULT_SAST_TIER } from './policy';
import {
  MAX_FINDING_EVIDENCE,
  OpenFindingFacts,
  ScanFacts,
  sastChecks,
  SastCheckInput,
} from './sastChecks';

const DAY = 86_400_000;
const now = new Date('2026-11-25T12:00:00Z');
const daysAgo = (days: number) => new Date(now.getTime() - days * DAY);

function finding(overrides: Partial<OpenFindingFacts> = {}): OpenFindingFacts {
  return {
    tool: 'CodeQL',
    branch: 'main',
    ruleId: 'js/sql-injection',
    severity: 'high',
    path: 'src/db.js',
    startLine: 12,
    firstSeenAt: daysAgo(3),
    ...overrides,
  };
}

function scan(overrides: Partial<ScanFacts> = {}): ScanFacts {
  return {
    tool: 'CodeQL',
    category: '',
    branch: 'main',
    scannedAt: daysAgo(1),
    ...overrides,
  };
}

function checks(overrides: Partial<SastCheckInput> = {}) {
  const results = sastChecks({
    now,
    policy: DEFAULT_SAST_TIER,
    isDefaultBranch: branch => branch === 'main',
    openFindings: [],
    scans: [scan()],
    ...overrides,
  });
  return Object.fromEntries(results.map(r => [r.id, r])) as Record<
    CheckResult['id'],
    CheckResult
  >;
}

describe('sastChecks', () => {
  it('returns the four checks in their stable order', () => {
    expect(
      sastChecks({
        now,
        policy: DEFAULT_SAST_TIER,
        isDefaultBranch: () => true,
        openFindings: [],
        scans: [scan()],
      }).map(r => r.id),
    ).toEqual([
      'sast.open-critical',
      'sast.high-age',
      'sast.scan-freshness',
      'sast.required-tools',
    ]);
  });

  it('knows nothing of an entity that never had a report, rather than failing it', () => {
    const result = checks({ scans: [] });
    for (const check of Object.values(result)) {
      expect(check.state).toBe('unknown');
      expect(check.message).toMatch(/No SARIF report has been uploaded/);
    }
  });

  it.each<[string, OpenFindingFacts[], string, number | undefined, RegExp]>([
    ['nothing open', [], 'pass', 0, /No critical finding is open/],
    [
      'a critical open',
      [finding({ severity: 'critical' })],
      'fail',
      1,
      /^1 critical finding is open/,
    ],
    [
      'a critical under review, still open',
      [
        finding({ severity: 'critical' }),
        finding({ severity: 'critical', suppression: 'under-review' }),
      ],
      'fail',
      2,
      /2 critical findings are open on the default branch \(1 under review, still open\)/,
    ],
    [
      'a critical accepted as suppressed',
      [finding({ severity: 'critical', suppression: 'accepted' })],
      'pass',
      0,
      /No critical/,
    ],
    [
      'a critical on a feature branch only',
      [finding({ severity: 'critical', branch: 'feature/x' })],
      'pass',
      0,
      /No critical/,
    ],
  ])('open critical: %s', (_, openFindings, state, value, message) => {
    const check = checks({ openFindings })['sast.open-critical'];
    expect(check).toMatchObject({ state, value, threshold: 0 });
    expect(check.message).toMatch(message);
    expect(check.evidence).toHaveLength(value ?? 0);
  });

  it.each<[string, OpenFindingFacts[], string, RegExp]>([
    ['no high open', [], 'pass', /No high finding is open/],
    [
      'a high within the SLA',
      [finding({ firstSeenAt: daysAgo(29) })],
      'pass',
      /1 high finding\(s\) are open, all for less than the 30 d SLA; the oldest for 29 d/,
    ],
    [
      'a high just over the SLA',
      [
        finding({ firstSeenAt: daysAgo(30.01) }),
        finding({ firstSeenAt: daysAgo(1) }),
      ],
      'fail',
      /1 of 2 open high finding\(s\) have been open longer than the 30 d SLA/,
    ],
    [
      'a medium long open does not count',
      [finding({ severity: 'medium', firstSeenAt: daysAgo(400) })],
      'pass',
      /No high finding is open/,
    ],
  ])('high age: %s', (_, openFindings, state, message) => {
    const check = checks({ openFindings })['sast.high-age'];
    expect(check.state).toBe(state);
    expect(check.message).toMatch(message);
    expect(check).toMatchObject({ threshold: 30 * 86_400, bound: 'at-most' });
  });

  it('names the overdue finding with where it is', () => {
    const check = checks({
      openFindings: [finding({ firstSeenAt: daysAgo(45) })],
    })['sast.high-age'];
    expect(check.evidence).toEqual([
      {
        kind: 'finding',
        cluster: '',
        namespace: 'CodeQL',
        name: 'js/sql-injection at src/db.js:12',
        note: 'open for 45 d',
      },
    ]);
  });

  it('counts every open finding of a large scan and lists the first hundred', () => {
    const many = (severity: OpenFindingFacts['severity'], n: number) =>
      Array.from({ length: n }, (_, i) =>
        finding({
          severity,
          startLine: i + 1,
          firstSeenAt: daysAgo(40 + (i % 7)),
        }),
      );
    // More than a call's arguments can hold: the oldest is found without spreading them.
    const result = checks({
      openFindings: [...many('critical', 150_000), ...many('high', 150_000)],
    });
    const critical = result['sast.open-critical'];
    expect(critical).toMatchObject({ state: 'fail', value: 150_000 });
    expect(critical.message).toBe(
      '150000 critical findings are open on the default branch. The first 100 are listed.',
    );
    expect(critical.evidence).toHaveLength(MAX_FINDING_EVIDENCE);
    expect(critical.evidence[0].name).toBe('js/sql-injection at src/db.js:1');
    const highAge = result['sast.high-age'];
    expect(highAge).toMatchObject({ state: 'fail', value: 46 * 86_400 });
    expect(highAge.message).toBe(
      '150000 of 150000 open high finding(s) have been open longer than the 30 d SLA. The first 100 are listed.',
    );
    expect(highAge.evidence).toHaveLength(MAX_FINDING_EVIDENCE);
    // At the cap, nothing is left out and nothing said.
    const few = checks({ openFindings: many('critical', 100) })[
      'sast.open-critical'
    ];
    expect(few.evidence).toHaveLength(100);
    expect(few.message).not.toContain('listed');
  });

  it('does not judge high findings by an SLA that cannot be trusted, and says why', () => {
    const highAge = checks({
      untrusted: { highFindingSla: 'resilience.io/tier is "gold"' },
      openFindings: [finding()],
    })['sast.high-age'];
    expect(highAge.state).toBe('unknown');
    expect(highAge.message).toMatch(
      /no SLA .*: resilience\.io\/tier is "gold"/,
    );
    // Nothing high open: nothing to judge, so an unknown SLA changes nothing.
    expect(
      checks({ untrusted: { highFindingSla: 'x' } })['sast.high-age'].state,
    ).toBe('pass');
  });

  it('does not judge scan freshness or required scanners by a scan age that cannot be trusted', () => {
    const results = checks({
      policy: { ...DEFAULT_SAST_TIER, requiredTools: ['CodeQL'] },
      untrusted: {
        scanMaxAge: 'resilience.io/sast-scan-max-age: "soon" is not a duration',
      },
    });
    for (const id of ['sast.scan-freshness', 'sast.required-tools']) {
      expect(results[id].state).toBe('unknown');
      expect(results[id].message).toMatch(/"soon" is not a duration/);
    }
    // Never scanned on the default branch is a failure whatever the age allowed.
    expect(
      checks({
        scans: [scan({ branch: 'feature' })],
        untrusted: { scanMaxAge: 'x' },
      })['sast.scan-freshness'].state,
    ).toBe('fail');
  });

  it.each<[string, ScanFacts[], string, RegExp]>([
    ['scanned yesterday', [scan()], 'pass', /within 7 d/],
    [
      'one tool stale',
      [scan(), scan({ tool: 'secretlint', scannedAt: daysAgo(8) })],
      'fail',
      /^secretlint last scanned the default branch more than 7 d ago/,
    ],
    [
      'the latest scan of a tool counts',
      [scan({ scannedAt: daysAgo(20) }), scan({ scannedAt: daysAgo(2) })],
      'pass',
      /within 7 d/,
    ],
    [
      'only a feature branch scanned',
      [scan({ branch: 'feature/x' })],
      'fail',
      /never been scanned/,
    ],
  ])('scan freshness: %s', (_, scans, state, message) => {
    const check = checks({ scans })['sast.scan-freshness'];
    expect(check.state).toBe(state);
    expect(check.message).toMatch(message);
  });

  it('says the findings are not known when only other branches were scanned', () => {
    const result = checks({
      scans: [scan({ branch: 'feature/x' })],
      openFindings: [finding({ severity: 'critical', branch: 'feature/x' })],
    });
    expect(result['sast.open-critical'].state).toBe('unknown');
    expect(result['sast.high-age'].state).toBe('unknown');
  });

  it.each<[string, string[], ScanFacts[], string, RegExp]>([
    ['none required', [], [scan()], 'not-applicable', /requires no particular/],
    [
      'the required tool ran',
      ['secretlint'],
      [scan({ tool: 'secretlint' })],
      'pass',
      /^secretlint scanned the default branch within 7 d/,
    ],
    [
      'the required tool never ran',
      ['secretlint', 'CodeQL'],
      [scan()],
      'fail',
      /^secretlint has not scanned the default branch within 7 d/,
    ],
    [
      'the required tool ran too long ago',
      ['secretlint'],
      [scan(), scan({ tool: 'secretlint', scannedAt: daysAgo(9) })],
      'fail',
      /^secretlint has not/,
    ],
  ])('required tools: %s', (_, requiredTools, scans, state, message) => {
    const check = checks({
      scans,
      policy: { ...DEFAULT_SAST_TIER, requiredTools },
    })['sast.required-tools'];
    expect(check.state).toBe(state);
    expect(check.message).toMatch(message);
  });
});
