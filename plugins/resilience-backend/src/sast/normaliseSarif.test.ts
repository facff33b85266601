import {
  categoryOf,
  formatMessage,
  identityText,
  normaliseSarif,
  severityOf,
  severityOfScore,
  UNKNOWN_RULE_ID,
} from './normaliseSarif';
import { SarifLog, SarifResult, SarifRun } from './sarifLog';
import { NormalisedFinding } from './types';
import { validateSarif } from './validateSarif';
import {
  editMessages,
  packageOf,
  scannedAt,
  TRIVY_PACKAGES,
  TrivyRun,
  trivyImageScan,
  withoutPackage,
} from './__fixtures__/trivyImage';

/** A run of a tool with three rules, R0..R2, and the given results and extras. */
function run(results: SarifResult[], extra: Partial<SarifRun> = {}): SarifRun {
  return {
    tool: {
      driver: {
        name: 'scanner',
        rules: [
          {
            id: 'R0',
            shortDescription: { text: 'Rule zero' },
            messageStrings: { default: { text: 'Found {0} in {1}.' } },
          },
          { id: 'R1', name: 'rule-one' },
          { id: 'R2', defaultConfiguration: { enabled: false } },
        ],
      },
    },
    results,
    ...extra,
  };
}

function at(
  uri: string,
  extra: { uriBaseId?: string; startLine?: number } = {},
): SarifResult['locations'] {
  return [
    {
      physicalLocation: {
        artifactLocation: { uri, uriBaseId: extra.uriBaseId },
        region: { startLine: extra.startLine ?? 1 },
      },
    },
  ];
}

function log(...runs: SarifRun[]): SarifLog {
  const document = { version: '2.1.0', runs };
  // Every hand-made case must itself be a valid log, or the test proves nothing about uploads.
  validateSarif(JSON.parse(JSON.stringify(document)));
  return document as SarifLog;
}

function findingsOf(
  results: SarifResult[],
  options: { extra?: Partial<SarifRun>; repositoryRoot?: string } = {},
) {
  return normaliseSarif({
    document: log(run(results, options.extra)),
    repositoryRoot: options.repositoryRoot,
  }).runs[0].findings;
}

describe('categoryOf', () => {
  it.each([
    [undefined, ''],
    ['', ''],
    ['a/b/run-1', 'a/b/'],
    ['my-analysis/tool1/', 'my-analysis/tool1/'],
    ['/run-7', '/'],
    ['nightly-2024-01-02', ''],
  ])('%j → %j', (id, category) => {
    expect(categoryOf(id)).toBe(category);
  });
});

describe('severityOfScore', () => {
  it.each([
    [10, 'critical'],
    [9.0, 'critical'],
    [8.9, 'high'],
    [7.0, 'high'],
    [6.9, 'medium'],
    [4.0, 'medium'],
    [3.9, 'low'],
    [0.1, 'low'],
    [0, 'none'],
  ])('%d → %s', (score, severity) => {
    expect(severityOfScore(score)).toBe(severity);
  });
});

describe('severityOf', () => {
  const message = { text: 'm' };
  it.each([
    [
      'the rule security-severity (string) first',
      { message, level: 'note' as const },
      { id: 'R', properties: { 'security-severity': '9.0' } },
      'critical',
    ],
    [
      'the result security-severity when the rule has none',
      { message, properties: { 'security-severity': 7 } },
      { id: 'R' },
      'high',
    ],
    [
      'a level when the score is unreadable',
      {
        message,
        level: 'error' as const,
        properties: { 'security-severity': 'high' },
      },
      undefined,
      'high',
    ],
    [
      'the result level error',
      { message, level: 'error' as const },
      undefined,
      'high',
    ],
    [
      'the result level warning',
      { message, level: 'warning' as const },
      undefined,
      'medium',
    ],
    [
      'the result level note',
      { message, level: 'note' as const },
      undefined,
      'low',
    ],
    [
      'the result level none',
      { message, level: 'none' as const },
      undefined,
      'none',
    ],
    [
      'the result level over the rule default',
      { message, level: 'note' as const },
      { id: 'R', defaultConfiguration: { level: 'error' as const } },
      'low',
    ],
    [
      'the rule default level',
      { message },
      { id: 'R', defaultConfiguration: { level: 'error' as const } },
      'high',
    ],
    [
      "CodeQL's problem.severity without levels",
      { message },
      { id: 'R', properties: { 'problem.severity': 'recommendation' } },
      'low',
    ],
    [
      'a nested problem.severity',
      { message },
      { id: 'R', properties: { problem: { severity: 'error' } } },
      'high',
    ],
    [
      'a severity tag without levels',
      { message },
      { id: 'R', properties: { tags: ['security', 'CRITICAL'] } },
      'critical',
    ],
    ['SARIF default warning', { message }, { id: 'R' }, 'medium'],
    ['SARIF default warning without a rule', { message }, undefined, 'medium'],
  ])('takes %s', (_, result, rule, severity) => {
    expect(severityOf({ result, rule })).toBe(severity);
  });
});

describe('formatMessage', () => {
  it.each([
    ['Found {0} in {1}.', ['eval', 'a.js'], 'Found eval in a.js.'],
    ['{1} before {0}', ['a', 'b'], 'b before a'],
    ['{{0}} is literal, {0} is not', ['x'], '{0} is literal, x is not'],
    ['missing {3}', ['a'], 'missing {3}'],
  ])('%j with %j → %j', (text, args, expected) => {
    expect(formatMessage(text, args)).toBe(expected);
  });
});

describe('identityText', () => {
  it.each([
    [
      "Trivy's advisory fields",
      'Package: libssl3\nInstalled Version: 3.0.8-r0\nVulnerability CVE-2023-0464\nSeverity: HIGH\nFixed Version: 3.0.8-r1\nLink: [CVE-2023-0464](https://avd.aquasec.com/nvd/cve-2023-0464)',
      'Package: libssl3 Installed Version: 3.0.8-r0 Vulnerability CVE-2023-0464',
    ],
    ['line words', 'x is unused (line 12, column 3)', 'x is unused (, )'],
    [
      'a line range',
      'duplicated in lines 3-5 and Line: 40',
      'duplicated in and',
    ],
    ['a file position', 'called from src/a.js:12:3.', 'called from src/a.js.'],
    [
      'a link to lines',
      'see https://example.com/o/r/blob/main/a.js#L12-L14 here',
      'see https://example.com/o/r/blob/main/a.js here',
    ],
    ['an ISO 8601 time', 'built 2026-11-02T08:00:00Z today', 'built today'],
    [
      'an ISO 8601 time with fraction and zone',
      'built 2026-11-02 08:00:00.5+01:00 today',
      'built today',
    ],
    ['a date', 'database of 2026-11-02', 'database of'],
    ['a clock time', 'done at 10:05:00 sharp', 'done at sharp'],
    ['whitespace', '  a\t b\r\n c ', 'a b c'],
  ])('takes out %s', (_, text, expected) => {
    expect(identityText(text)).toBe(expected);
  });

  it.each([
    ['a version with an epoch', 'Installed Version: 1:2.3.4-5'],
    ['an image tag', 'image alpine:3.17'],
    ['words that end in line or col', 'pipeline 3 of protocol 5'],
    ['a label that only starts like an advisory field', 'Severity of x: HIGH'],
    ['a package and version', 'library/alpine: libssl3@3.0.8-r0'],
  ])('keeps %s', (_, text) => {
    expect(identityText(text)).toBe(text);
  });
});

describe('normaliseSarif', () => {
  describe('rule ids and messages', () => {
    it.each([
      [
        'ruleId naming a known rule',
        { ruleId: 'R1', message: { text: 'm' } },
        { ruleId: 'R1', ruleName: 'rule-one' },
      ],
      [
        'ruleIndex alone',
        { ruleIndex: 0, message: { text: 'm' } },
        { ruleId: 'R0', ruleName: 'Rule zero' },
      ],
      [
        'rule.id alone',
        { rule: { id: 'R1' }, message: { text: 'm' } },
        { ruleId: 'R1', ruleName: 'rule-one' },
      ],
      [
        'a ruleId missing from the rules (kept, no name)',
        { ruleId: 'GONE', message: { text: 'm' } },
        { ruleId: 'GONE', ruleName: undefined },
      ],
      [
        'a ruleIndex beyond the rules with a ruleId',
        { ruleId: 'R9', ruleIndex: 9, message: { text: 'm' } },
        { ruleId: 'R9', ruleName: undefined },
      ],
      [
        'a ruleIndex beyond the rules alone',
        { ruleIndex: 9, message: { text: 'm' } },
        { ruleId: UNKNOWN_RULE_ID, ruleName: undefined },
      ],
      [
        'a ruleId and a ruleIndex that disagree (the id wins)',
        { ruleId: 'R1', ruleIndex: 0, message: { text: 'm' } },
        { ruleId: 'R1', ruleName: 'rule-one' },
      ],
      [
        'nothing naming the rule',
        { message: { text: 'm' } },
        { ruleId: UNKNOWN_RULE_ID, ruleName: undefined },
      ],
      [
        'a message string with arguments',
        {
          ruleId: 'R0',
          message: { id: 'default', arguments: ['eval', 'a.js'] },
        },
        { ruleId: 'R0', ruleName: 'Rule zero', message: 'Found eval in a.js.' },
      ],
      [
        'a message string the rule lacks (the rule description instead)',
        { ruleId: 'R0', message: { id: 'other' } },
        { ruleId: 'R0', ruleName: 'Rule zero', message: 'Rule zero' },
      ],
      [
        'message text with arguments',
        { ruleId: 'R1', message: { text: 'use of {0}', arguments: ['eval'] } },
        { ruleName: 'rule-one', message: 'use of eval' },
      ],
    ])('reads %s', (_, result, expected) => {
      const [finding] = findingsOf([result as SarifResult]);
      const { ruleName, ...rest } = expected as { ruleName?: string };
      expect(finding).toMatchObject(rest);
      // A rule the log does not describe has no name rather than an invented one.
      expect(finding.ruleName).toBe(ruleName);
    });

    it('finds rules of an extension (CodeQL query packs)', () => {
      const document = log({
        tool: {
          driver: { name: 'CodeQL', semanticVersion: '2.15.0' },
          extensions: [
            {
              name: 'codeql/javascript-queries',
              rules: [{ id: 'js/x', name: 'X' }],
            },
          ],
        },
        results: [
          {
            rule: { id: 'js/x', index: 0, toolComponent: { index: 0 } },
            message: { text: 'm' },
          },
        ],
      });
      expect(normaliseSarif({ document }).runs[0].findings[0]).toMatchObject({
        ruleId: 'js/x',
        ruleName: 'X',
      });
    });
  });

  describe('which results count', () => {
    it.each([
      ['kind absent', {}, 1],
      ['kind fail', { kind: 'fail' }, 1],
      ['kind pass', { kind: 'pass' }, 0],
      ['kind notApplicable', { kind: 'notApplicable' }, 0],
      ['kind review', { kind: 'review' }, 0],
      ['kind informational', { kind: 'informational' }, 0],
    ])('%s → %d finding(s)', (_, extra, count) => {
      expect(
        findingsOf([
          { ruleId: 'R1', message: { text: 'm' }, ...extra } as SarifResult,
        ]),
      ).toHaveLength(count);
    });

    it('skips results of a disabled rule', () => {
      expect(
        findingsOf([
          { ruleId: 'R2', message: { text: 'm' } },
          { ruleIndex: 2, message: { text: 'm' } },
        ]),
      ).toEqual([]);
    });
  });

  describe('suppressions', () => {
    it.each([
      ['none', undefined, undefined],
      ['an empty list', [], undefined],
      ['one without status (accepted)', [{ kind: 'inSource' }], 'accepted'],
      [
        'an accepted one',
        [{ kind: 'external', status: 'accepted' }],
        'accepted',
      ],
      [
        'one under review',
        [{ kind: 'external', status: 'underReview' }],
        'under-review',
      ],
      ['a rejected one', [{ kind: 'external', status: 'rejected' }], undefined],
      [
        'a rejected and an accepted one',
        [{ kind: 'external', status: 'rejected' }, { kind: 'inSource' }],
        'accepted',
      ],
      [
        'one under review and an accepted one',
        [
          { kind: 'external', status: 'underReview' },
          { kind: 'external', status: 'accepted' },
        ],
        'accepted',
      ],
    ])('reads %s', (_, suppressions, expected) => {
      const [finding] = findingsOf([
        { ruleId: 'R1', message: { text: 'm' }, suppressions } as SarifResult,
      ]);
      expect(finding.suppression).toBe(expected);
    });
  });

  describe('paths', () => {
    const bases = {
      originalUriBaseIds: {
        REPO: { uri: 'file:///ci/checkout/' },
        SRC: { uri: 'src/', uriBaseId: 'REPO' },
        WEB: { uri: 'https://example.com/repo/' },
      },
    };
    it.each([
      ['a relative uri', 'src/a.js', {}, {}, 'src/a.js'],
      ['a leading ./', './src/a.js', {}, {}, 'src/a.js'],
      ['a leading /', '/src/a.js', {}, {}, 'src/a.js'],
      ['percent-encoding', 'src/my%20file.js', {}, {}, 'src/my file.js'],
      ['dot segments', 'src/../lib/./a.js', {}, {}, 'lib/a.js'],
      [
        'a file uri under the repository root',
        'file:///ci/checkout/src/a.js',
        {},
        { repositoryRoot: '/ci/checkout' },
        'src/a.js',
      ],
      [
        'a file uri under a root given as a file uri',
        'file:///ci/checkout/src/a.js',
        {},
        { repositoryRoot: 'file:///ci/checkout/' },
        'src/a.js',
      ],
      [
        'a file uri outside the root (scheme and leading / dropped)',
        'file:///elsewhere/a.js',
        {},
        { repositoryRoot: '/ci/checkout' },
        'elsewhere/a.js',
      ],
      [
        'a root that is only a prefix of a directory name',
        'file:///ci/checkout-old/a.js',
        {},
        { repositoryRoot: '/ci/checkout' },
        'ci/checkout-old/a.js',
      ],
      [
        'a file uri under the run SRCROOT',
        'file:///build/src/app/a.js',
        { originalUriBaseIds: { SRCROOT: { uri: 'file:///build/src/' } } },
        {},
        'app/a.js',
      ],
      [
        'a file uri under %SRCROOT%, the repository root winning',
        'file:///build/src/app/a.js',
        { originalUriBaseIds: { '%SRCROOT%': { uri: 'file:///build/' } } },
        { repositoryRoot: '/build/src' },
        'app/a.js',
      ],
      [
        'a uriBaseId chain',
        'a.js',
        bases,
        { uriBaseId: 'SRC', repositoryRoot: '/ci/checkout' },
        'src/a.js',
      ],
      [
        'a uriBaseId to an absolute base',
        'src/a.js',
        bases,
        { uriBaseId: 'REPO', repositoryRoot: '/ci/checkout' },
        'src/a.js',
      ],
      [
        'an undefined uriBaseId (relative to the root)',
        'src/a.js',
        {},
        { uriBaseId: '%SRCROOT%' },
        'src/a.js',
      ],
      [
        'a non-file base (kept whole)',
        'a.js',
        bases,
        { uriBaseId: 'WEB' },
        'https://example.com/repo/a.js',
      ],
    ])('reads %s', (_, uri, runExtra, options, expected) => {
      const { uriBaseId, repositoryRoot } = options as {
        uriBaseId?: string;
        repositoryRoot?: string;
      };
      const [finding] = findingsOf(
        [
          {
            ruleId: 'R1',
            message: { text: 'm' },
            locations: at(uri, { uriBaseId }),
          },
        ],
        { extra: runExtra as Partial<SarifRun>, repositoryRoot },
      );
      expect(finding.path).toBe(expected);
    });

    it('reads a location given as an index into the artifacts', () => {
      const [finding] = findingsOf(
        [
          {
            ruleId: 'R1',
            message: { text: 'm' },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: { index: 1 },
                  region: {
                    startLine: 4,
                    startColumn: 2,
                    endLine: 6,
                    endColumn: 1,
                  },
                },
              },
            ],
          },
        ],
        {
          extra: {
            artifacts: [
              { location: { uri: 'a.js' } },
              { location: { uri: 'lib/b.js', uriBaseId: '%SRCROOT%' } },
            ],
          },
        },
      );
      expect(finding).toMatchObject({
        path: 'lib/b.js',
        startLine: 4,
        startColumn: 2,
        endLine: 6,
      });
    });

    it('leaves the path out of a result without location', () => {
      const [finding] = findingsOf([{ ruleId: 'R1', message: { text: 'm' } }]);
      expect(finding).not.toHaveProperty('path');
      expect(finding).not.toHaveProperty('startLine');
    });
  });

  describe('fingerprints', () => {
    const base = {
      ruleId: 'R1',
      message: { text: 'm' },
      locations: at('a.js'),
    };
    it.each([
      [
        'the line hash first',
        {
          partialFingerprints: { zeta: 'z', primaryLocationLineHash: 'abc:1' },
          fingerprints: { v1: 'f' },
        },
        'plh:abc:1',
      ],
      [
        'another partial fingerprint, first key sorted',
        {
          partialFingerprints: { zeta: 'z', alpha: 'a' },
          fingerprints: { v1: 'f' },
        },
        'partial:alpha/a',
      ],
      [
        'a full fingerprint',
        { fingerprints: { 'b/v2': 'g', 'a/v1': 'f' } },
        'fp:a/v1/f',
      ],
    ])('takes %s', (_, extra, expected) => {
      expect(findingsOf([{ ...base, ...extra }])[0].fingerprint).toBe(expected);
    });

    function hashOf(result: Partial<SarifResult>): string {
      return findingsOf([{ ...base, ...result }])[0].fingerprint;
    }
    function snippetAt(
      text: string,
      startLine: number,
    ): SarifResult['locations'] {
      return [
        {
          physicalLocation: {
            artifactLocation: { uri: 'a.js' },
            region: { startLine, snippet: { text } },
          },
        },
      ];
    }

    it('hashes rule, path and the snippet when the tool gives no fingerprint', () => {
      const hash = hashOf({ locations: snippetAt('eval(x);', 3) });
      expect(hash).toMatch(/^hash:[0-9a-f]{64}$/);
      // The same code moved and re-indented is the same finding...
      expect(hashOf({ locations: snippetAt('  eval(x);\n', 40) })).toBe(hash);
      expect(hashOf({ locations: snippetAt('eval(  x);', 3) })).not.toBe(hash);
      // ...but not in another file or under another rule.
      expect(
        hashOf({
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'b.js' },
                region: { startLine: 3, snippet: { text: 'eval(x);' } },
              },
            },
          ],
        }),
      ).not.toBe(hash);
      expect(
        hashOf({ ruleId: 'R0', locations: snippetAt('eval(x);', 3) }),
      ).not.toBe(hash);
    });

    it('hashes the lines when there is no snippet', () => {
      expect(hashOf({ locations: at('a.js', { startLine: 3 }) })).toBe(
        hashOf({ locations: at('a.js', { startLine: 3 }) }),
      );
      expect(hashOf({ locations: at('a.js', { startLine: 3 }) })).not.toBe(
        hashOf({ locations: at('a.js', { startLine: 4 }) }),
      );
    });

    it('collapses duplicate fingerprints within a run, keeping the first', () => {
      const findings = findingsOf([
        {
          ...base,
          message: { text: 'first' },
          partialFingerprints: { primaryLocationLineHash: 'h:1' },
        },
        {
          ...base,
          message: { text: 'again' },
          partialFingerprints: { primaryLocationLineHash: 'h:1' },
        },
        {
          ...base,
          message: { text: 'other' },
          partialFingerprints: { primaryLocationLineHash: 'h:2' },
        },
        { ...base, message: { text: 'no fingerprint, at line 3' } },
        { ...base, message: { text: 'no fingerprint, at line 9' } },
        { ...base, message: { text: 'no fingerprint, another message' } },
      ]);
      expect(findings.map(f => f.message)).toEqual([
        'first',
        'other',
        'no fingerprint, at line 3',
        'no fingerprint, another message',
      ]);
    });

    function located(text: string, locationText?: string) {
      const [location] = at('a.js')!;
      return {
        message: { text },
        locations: [
          locationText === undefined
            ? location
            : { ...location, message: { text: locationText } },
        ],
      };
    }

    it.each([
      [
        'the same',
        'line numbers in the message',
        located('x defined at line 3'),
        located('x defined at line 9'),
      ],
      [
        'the same',
        'file positions in the message',
        located('tainted by src/b.js:12:3'),
        located('tainted by src/b.js:40:1'),
      ],
      [
        'the same',
        'timestamps in the message',
        located('seen 2026-11-02T08:00:00Z'),
        located('seen 2026-11-09T10:30:00.123+01:00'),
      ],
      [
        'the same',
        'whitespace in the message',
        located('a  b\n c'),
        located('a b c'),
      ],
      [
        'the same',
        'positions in the location message',
        located('m', 'the call at line 3'),
        located('m', 'the call at line 7'),
      ],
      [
        'the same',
        'positions in the arguments of a message string',
        { message: { id: 'default', arguments: ['x', 'line 3'] } },
        { message: { id: 'default', arguments: ['x', 'line 8'] } },
      ],
      [
        'another',
        'the message',
        located('uses libssl3'),
        located('uses libcrypto3'),
      ],
      [
        'another',
        'the location message',
        located('m', 'image: libssl3@3.0.8-r0'),
        located('m', 'image: libcrypto3@3.0.8-r0'),
      ],
      [
        'another',
        'having a location message',
        located('m', 'here'),
        located('m'),
      ],
      [
        'another',
        'the arguments of a message string',
        { message: { id: 'default', arguments: ['eval', 'a.js'] } },
        { message: { id: 'default', arguments: ['exec', 'a.js'] } },
      ],
      [
        'another',
        'the message string',
        { message: { id: 'default', arguments: ['x'] } },
        { message: { id: 'other', arguments: ['x'] } },
      ],
      [
        'another',
        'the arguments of the text',
        { message: { text: 'use of {0}', arguments: ['eval'] } },
        { message: { text: 'use of {0}', arguments: ['exec'] } },
      ],
    ])(
      'without a tool fingerprint, gives %s identity to results that differ in %s',
      (expected, _, first, second) => {
        const a = hashOf(first as Partial<SarifResult>);
        const b = hashOf(second as Partial<SarifResult>);
        expect(a).toMatch(/^hash:/);
        expect(b === a).toBe(expected === 'the same');
      },
    );

    it("reads a message string by its id and arguments, not the rule's wording", () => {
      const result: SarifResult = {
        ruleId: 'R0',
        message: { id: 'default', arguments: ['eval', 'a.js'] },
        locations: at('a.js'),
      };
      const reworded = run([result]);
      reworded.tool.driver.rules![0].messageStrings = {
        default: { text: '{0} is used in {1}.' },
      };
      const [before] = normaliseSarif({ document: log(run([result])) }).runs[0]
        .findings;
      const [after] = normaliseSarif({ document: log(reworded) }).runs[0]
        .findings;
      expect(after.message).not.toBe(before.message);
      expect(after.fingerprint).toBe(before.fingerprint);
    });

    it('keeps the partial fingerprint when the messages differ', () => {
      const findings = findingsOf([
        {
          ...located('x defined here', 'one place'),
          ruleId: 'R1',
          partialFingerprints: { primaryLocationLineHash: 'h:1' },
        },
        {
          ...located('y defined there', 'another place'),
          ruleId: 'R1',
          partialFingerprints: { primaryLocationLineHash: 'h:1' },
        },
      ]);
      expect(findings.map(f => f.fingerprint)).toEqual(['plh:h:1']);
    });
  });

  describe('a container image scanned by Trivy', () => {
    /** The findings of a Trivy document, by the package each is about. */
    function byPackage(document: unknown): Record<string, NormalisedFinding> {
      validateSarif(document);
      const [{ findings }] = normaliseSarif({ document }).runs;
      return Object.fromEntries(
        findings.map(f => [packageOf(f.message) ?? '', f]),
      );
    }
    const fingerprints = (document: unknown) =>
      Object.fromEntries(
        Object.entries(byPackage(document)).map(([name, f]) => [
          name,
          f.fingerprint,
        ]),
      );

    it('gives each package with the vulnerability its own finding', () => {
      const findings = byPackage(trivyImageScan());
      expect(Object.keys(findings)).toEqual(TRIVY_PACKAGES);
      for (const finding of Object.values(findings)) {
        expect(finding).toMatchObject({
          fingerprint: expect.stringMatching(/^hash:/),
          ruleId: 'CVE-2023-0464',
          severity: 'high',
          path: 'library/alpine',
          startLine: 1,
        });
      }
      const distinct = new Set(Object.values(findings).map(f => f.fingerprint));
      expect(distinct.size).toBe(TRIVY_PACKAGES.length);
    });

    it.each<[string, (scan: TrivyRun) => void, (scan: TrivyRun) => void]>([
      [
        'at another time',
        () => {},
        scan => scannedAt(scan, '2026-11-09T08:00:00Z'),
      ],
      [
        'with a newer vulnerability database (severity, fix and link changed)',
        () => {},
        scan => {
          scan.tool.driver.rules[0].properties['security-severity'] = '9.1';
          editMessages(scan, text =>
            text
              .replace('Severity: HIGH', 'Severity: CRITICAL')
              .replace('Fixed Version: 3.0.8-r1', 'Fixed Version: 3.0.9-r0')
              .replace(
                /\(https:[^)]*\)/,
                '(https://example.com/CVE-2023-0464)',
              ),
          );
        },
      ],
      [
        'after a fix was published (none known before)',
        scan =>
          editMessages(scan, text =>
            text.replace('Fixed Version: 3.0.8-r1', 'Fixed Version: '),
          ),
        () => {},
      ],
      [
        'with positions and times in the messages that moved',
        scan => {
          editMessages(
            scan,
            text => `${text}\nat line 4, 2026-11-02T08:00:00Z`,
          );
          for (const result of scan.results) {
            result.locations[0].message.text += ' (Dockerfile.prod:3:1)';
          }
        },
        scan => {
          scannedAt(scan, '2026-11-09T08:00:00Z');
          editMessages(
            scan,
            text => `${text}\nat line 9, 2026-11-09T08:30:12Z`,
          );
          for (const result of scan.results) {
            result.locations[0].message.text += ' (Dockerfile.prod:7:1)';
          }
        },
      ],
      [
        'with the results in another order',
        () => {},
        scan => scan.results.reverse(),
      ],
    ])('keeps every finding when scanned again %s', (_, before, after) => {
      const first = fingerprints(trivyImageScan(before));
      expect(Object.keys(first)).toEqual(TRIVY_PACKAGES);
      expect(fingerprints(trivyImageScan(after))).toEqual(first);
    });

    it('keeps the other packages when one is upgraded', () => {
      const { libssl3, ...others } = fingerprints(trivyImageScan());
      expect(libssl3).toMatch(/^hash:/);
      expect(
        fingerprints(trivyImageScan(scan => withoutPackage(scan, 'libssl3'))),
      ).toEqual(others);
    });

    it('takes the partial fingerprints of a result that has them', () => {
      const findings = byPackage(
        trivyImageScan(scan => {
          Object.assign(scan.results[1], {
            partialFingerprints: { primaryLocationLineHash: 'abc:1' },
          });
        }),
      );
      expect(findings.libssl3.fingerprint).toBe('plh:abc:1');
      expect(findings.libcrypto3.fingerprint).toMatch(/^hash:/);
    });
  });

  describe('runs', () => {
    it('reads each run of a log with its tool, category, provenance and start', () => {
      const finding = { ruleId: 'R1', message: { text: 'm' } };
      const report = normaliseSarif({
        document: log(
          run([finding], {
            automationDetails: { id: 'backend/js/2024-05-01' },
            versionControlProvenance: [
              {
                repositoryUri: 'https://example.com/org/repo',
                revisionId: 'abc123',
                branch: 'main',
              },
              { repositoryUri: 'https://example.com/org/other' },
            ],
            invocations: [
              {
                executionSuccessful: true,
                startTimeUtc: '2024-05-01T10:05:00Z',
              },
              {
                executionSuccessful: true,
                startTimeUtc: '2024-05-01T10:00:00Z',
              },
              { executionSuccessful: false, startTimeUtc: 'not a time' },
            ],
          }),
          {
            tool: {
              driver: {
                name: 'other',
                version: '1.2',
                semanticVersion: '1.2.0',
              },
            },
            results: [finding, finding],
          },
          { tool: { driver: { name: 'legacy', version: '7' } } },
        ),
      });
      expect(report.runs).toEqual([
        {
          toolName: 'scanner',
          category: 'backend/js/',
          repositoryUri: 'https://example.com/org/repo',
          revisionId: 'abc123',
          branch: 'main',
          startedAt: new Date('2024-05-01T10:00:00Z'),
          findings: [expect.objectContaining({ ruleId: 'R1' })],
        },
        {
          toolName: 'other',
          toolVersion: '1.2.0',
          category: '',
          findings: [expect.objectContaining({ ruleId: 'R1' })],
        },
        { toolName: 'legacy', toolVersion: '7', category: '', findings: [] },
      ]);
    });

    it('reads a log without runs', () => {
      expect(
        normaliseSarif({ document: { version: '2.1.0', runs: null } }),
      ).toEqual({ runs: [] });
    });
  });
});
