import { createHash } from 'node:crypto';
import { DemoSastScenario, DemoService } from './demo';

/** The scanners of the demo's CI, by their SARIF `tool.driver.name`. */
export type DemoSastTool = 'ESLint' | 'secretlint';

/** One upload of the demo's SAST history: a SARIF log and the query parameters sent with it. */
export interface DemoSastUpload {
  /** The SARIF log's file name, in the folder of the plan. */
  file: string;
  entityRef: string;
  tool: DemoSastTool;
  /** GitHub's category: the log's `automationDetails.id` up to its last `/`. */
  category: string;
  branch: string;
  commit: string;
  /** ISO 8601 time of the scan, relative to the same `now` as the backups. */
  scannedAt: string;
}

/** The parts of a SARIF 2.1.0 log that the demo writes and its tests read. */
export interface DemoSarifLog {
  $schema: string;
  version: '2.1.0';
  runs: Array<{
    tool: {
      driver: {
        name: string;
        version: string;
        semanticVersion: string;
        informationUri: string;
        rules: Array<{
          id: string;
          shortDescription: { text: string };
          helpUri: string;
          defaultConfiguration: { level: SarifLevel };
          properties: { 'security-severity': string; tags: string[] };
        }>;
      };
    };
    automationDetails: { id: string };
    versionControlProvenance: Array<{
      repositoryUri: string;
      revisionId: string;
      branch: string;
    }>;
    invocations: Array<{
      executionSuccessful: boolean;
      startTimeUtc: string;
      endTimeUtc: string;
    }>;
    artifacts: Array<{ location: { uri: string; uriBaseId: string } }>;
    results: Array<{
      ruleId: string;
      ruleIndex: number;
      level: SarifLevel;
      message: { text: string };
      locations: Array<{
        physicalLocation: {
          artifactLocation: { uri: string; uriBaseId: string; index: number };
          region: {
            startLine: number;
            startColumn: number;
            endLine: number;
            endColumn: number;
          };
        };
      }>;
      partialFingerprints: { primaryLocationLineHash: string };
      suppressions?: Array<{
        kind: 'external';
        status: 'accepted' | 'underReview';
        justification: string;
      }>;
    }>;
    columnKind: 'utf16CodeUnits';
  }>;
}

type SarifLevel = 'error' | 'warning' | 'note';

/** A rule of a tool's catalogue: GitHub's `security-severity` decides the finding's severity. */
interface RuleSpec {
  id: string;
  description: string;
  helpUri: string;
  securitySeverity: string;
  cwe: string;
}

const ESLINT_SECURITY =
  'https://github.com/eslint-community/eslint-plugin-security/blob/main/docs/rules';
const SECRETLINT_RULES =
  'https://github.com/secretlint/secretlint/blob/master/packages/%40secretlint';
const PRESET = '@secretlint/secretlint-rule-preset-recommend';

const eslintRule = (
  name: string,
  description: string,
  securitySeverity: string,
  cwe: string,
): RuleSpec => ({
  id: `security/${name}`,
  description,
  helpUri: `${ESLINT_SECURITY}/${name}.md`,
  securitySeverity,
  cwe,
});

const secretlintRule = (
  name: string,
  description: string,
  securitySeverity: string,
): RuleSpec => ({
  id: `${PRESET} > @secretlint/secretlint-rule-${name}`,
  description,
  helpUri: `${SECRETLINT_RULES}/secretlint-rule-${name}/README.md`,
  securitySeverity,
  cwe: '798',
});

/**
 * Each tool's rules, always listed whole so that a rule keeps its `ruleIndex` from scan to scan,
 * and how its SARIF run is labelled.
 */
const TOOLS: Record<
  DemoSastTool,
  {
    version: string;
    informationUri: string;
    category: string;
    rules: RuleSpec[];
  }
> = {
  ESLint: {
    version: '8.57.1',
    informationUri: 'https://eslint.org',
    category: 'eslint/',
    rules: [
      eslintRule(
        'detect-child-process',
        'Detects instances of child_process and non-literal exec()',
        '9.8',
        '78',
      ),
      eslintRule(
        'detect-eval-with-expression',
        'Detects eval(variable), which can allow an attacker to run arbitrary code',
        '9.3',
        '95',
      ),
      eslintRule(
        'detect-non-literal-require',
        'Detects require(variable), which might allow an attacker to load and run arbitrary code',
        '9.1',
        '94',
      ),
      eslintRule(
        'detect-unsafe-regex',
        'Detects potentially unsafe regular expressions, which may take a very long time to run',
        '7.5',
        '1333',
      ),
      eslintRule(
        'detect-possible-timing-attacks',
        'Detects insecure comparisons (==, !=, !== and ===), which check input sequentially',
        '5.9',
        '208',
      ),
      eslintRule(
        'detect-object-injection',
        'Detects variable[key] as a left- or right-hand assignment operand',
        '5.6',
        '1321',
      ),
      eslintRule(
        'detect-non-literal-regexp',
        'Detects RegExp(variable), which might allow an attacker to DoS the server',
        '5.3',
        '1333',
      ),
      eslintRule(
        'detect-pseudoRandomBytes',
        'Detects if pseudoRandomBytes() is in use, which might not give the randomness needed',
        '3.7',
        '338',
      ),
    ],
  },
  secretlint: {
    version: '13.0.6',
    informationUri: 'https://github.com/secretlint/secretlint',
    category: 'secretlint/',
    rules: [
      secretlintRule('aws', 'AWS access key or secret access key', '9.1'),
      secretlintRule('privatekey', 'Private key', '8.1'),
      secretlintRule('github', 'GitHub token', '8.1'),
      secretlintRule('slack', 'Slack token or incoming webhook URL', '7.5'),
      secretlintRule(
        'basicauth',
        'Basic authentication credentials in a URL',
        '7.1',
      ),
    ],
  },
};

/** SARIF's level for GitHub's severity bands of `security-severity`. */
function levelOf(securitySeverity: string): SarifLevel {
  const score = Number(securitySeverity);
  if (score >= 7) return 'error';
  return score >= 4 ? 'warning' : 'note';
}

/** A finding of a scenario, reported by every scan of its branches from `from` until `fixed`. */
interface FindingSpec {
  tool: DemoSastTool;
  /** The rule's id without the tool's prefix: `detect-child-process`, `slack`. */
  rule: string;
  path: string;
  line: number;
  column: number;
  length: number;
  message: string;
  /** Days before `now` of the first scan that reports it. */
  from: number;
  /** Days before `now` of the first scan that no longer reports it; absent while it is open. */
  fixed?: number;
  /** The branches whose code has it; `main` unless given. */
  branches?: string[];
  /** Reported with this suppression from the scan `from` days before `now` on. */
  suppression?: {
    status: 'accepted' | 'underReview';
    justification: string;
    from: number;
  };
}

/** Scans of one branch by both tools, each `hoursBefore` the time of day of `now`. */
interface ScanSpec {
  branch: string;
  /** Days before `now`, oldest first. */
  days: number[];
  hoursBefore: number;
}

interface ScenarioSpec {
  scans: ScanSpec[];
  findings: FindingSpec[];
}

/** `from`, `from - 1`, ..., `to`: days before `now`, oldest first. */
const daily = (from: number, to: number) =>
  Array.from({ length: from - to + 1 }, (_, i) => from - i);

/** The scans and findings of each scenario; see {@link DemoSastScenario}. */
const SCENARIOS: Record<DemoSastScenario, ScenarioSpec> = {
  'critical-fixed': {
    scans: [{ branch: 'main', days: daily(14, 0), hoursBefore: 3 }],
    findings: [
      {
        tool: 'ESLint',
        rule: 'detect-eval-with-expression',
        path: 'src/import/statementParser.ts',
        line: 87,
        column: 23,
        length: 16,
        message: 'eval with argument of type Identifier',
        from: 5,
        fixed: 1,
      },
      {
        tool: 'ESLint',
        rule: 'detect-object-injection',
        path: 'src/accounts/balances.ts',
        line: 41,
        column: 5,
        length: 22,
        message: 'Generic Object Injection Sink',
        from: 14,
      },
    ],
  },
  'high-overdue': {
    scans: [{ branch: 'main', days: [40, 33, 26, 19, 12, 5], hoursBefore: 5 }],
    findings: [
      {
        tool: 'secretlint',
        rule: 'slack',
        path: 'deploy/alerting/values.yaml',
        line: 12,
        column: 17,
        length: 79,
        message: `found slack incoming webhook: ${'*'.repeat(79)}`,
        from: 40,
      },
      {
        tool: 'ESLint',
        rule: 'detect-possible-timing-attacks',
        path: 'src/webhooks/verifySignature.ts',
        line: 18,
        column: 7,
        length: 30,
        message: 'Potential timing attack, left side: true',
        from: 33,
      },
    ],
  },
  clean: {
    scans: [
      { branch: 'main', days: daily(10, 0), hoursBefore: 4 },
      { branch: 'feature/search-synonyms', days: [1, 0], hoursBefore: 6 },
    ],
    findings: [
      {
        tool: 'ESLint',
        rule: 'detect-non-literal-regexp',
        path: 'src/query/highlightTerms.ts',
        line: 22,
        column: 17,
        length: 28,
        message: 'Found non-literal argument to RegExp Constructor',
        from: 10,
        branches: ['main', 'feature/search-synonyms'],
      },
      {
        tool: 'ESLint',
        rule: 'detect-non-literal-require',
        path: 'src/synonyms/loadDictionary.ts',
        line: 9,
        column: 10,
        length: 29,
        message: 'Found non-literal argument in require',
        from: 1,
        branches: ['feature/search-synonyms'],
      },
    ],
  },
  'high-within-sla': {
    scans: [{ branch: 'main', days: daily(6, 0), hoursBefore: 1 }],
    findings: [
      {
        tool: 'ESLint',
        rule: 'detect-unsafe-regex',
        path: 'src/components/SearchBox/validateQuery.ts',
        line: 14,
        column: 21,
        length: 38,
        message: 'Unsafe Regular Expression',
        from: 6,
      },
    ],
  },
  'critical-under-review': {
    scans: [{ branch: 'main', days: daily(10, 0), hoursBefore: 2 }],
    findings: [
      {
        tool: 'ESLint',
        rule: 'detect-child-process',
        path: 'src/receipts/renderPdf.ts',
        line: 33,
        column: 3,
        length: 46,
        message: 'Found child_process.exec() with non Literal first argument',
        from: 1,
        suppression: {
          status: 'underReview',
          justification:
            'The command line is built from the order id only; AppSec to confirm',
          from: 0,
        },
      },
    ],
  },
  stale: {
    scans: [{ branch: 'main', days: daily(20, 10), hoursBefore: 6 }],
    findings: [
      {
        tool: 'secretlint',
        rule: 'privatekey',
        path: 'test/fixtures/tls/server.key',
        line: 1,
        column: 1,
        length: 31,
        message: `found private key: ${'*'.repeat(31)}`,
        from: 20,
        suppression: {
          status: 'accepted',
          justification:
            'Throwaway key of the integration tests, never deployed',
          from: 20,
        },
      },
      {
        tool: 'ESLint',
        rule: 'detect-pseudoRandomBytes',
        path: 'src/sampling/reservoir.ts',
        line: 27,
        column: 18,
        length: 27,
        message:
          'Found crypto.pseudoRandomBytes which does not produce cryptographically strong numbers',
        from: 20,
      },
    ],
  },
  'never-scanned': { scans: [], findings: [] },
};

const DAY = 86_400_000;
const HOUR = 3_600_000;

const iso = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z');
const digest = (text: string, length: number) =>
  createHash('sha256').update(text).digest('hex').slice(0, length);

function ruleOf(tool: DemoSastTool, rule: string): number {
  const index = TOOLS[tool].rules.findIndex(
    r => r.id === `security/${rule}` || r.id.endsWith(`-rule-${rule}`),
  );
  if (index < 0) throw new Error(`${tool} has no rule ${rule}`);
  return index;
}

/** Whether the scan `day` days before `now` of `branch` reports the finding. */
const reports = (finding: FindingSpec, branch: string, day: number) =>
  (finding.branches ?? ['main']).includes(branch) &&
  day <= finding.from &&
  (finding.fixed === undefined || day > finding.fixed);

function sarifLog(options: {
  service: DemoService;
  tool: DemoSastTool;
  branch: string;
  commit: string;
  scannedAt: Date;
  findings: FindingSpec[];
  day: number;
}): DemoSarifLog {
  const { service, tool, branch, commit, scannedAt, day } = options;
  const spec = TOOLS[tool];
  const paths = [...new Set(options.findings.map(f => f.path))];
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: tool,
            version: spec.version,
            semanticVersion: spec.version,
            informationUri: spec.informationUri,
            rules: spec.rules.map(rule => ({
              id: rule.id,
              shortDescription: { text: rule.description },
              helpUri: rule.helpUri,
              defaultConfiguration: { level: levelOf(rule.securitySeverity) },
              properties: {
                'security-severity': rule.securitySeverity,
                tags: ['security', `external/cwe/cwe-${rule.cwe}`],
              },
            })),
          },
        },
        automationDetails: { id: `${spec.category}${commit.slice(0, 12)}` },
        versionControlProvenance: [
          {
            repositoryUri: `https://github.com/example-shop/${service.name}`,
            revisionId: commit,
            branch: `refs/heads/${branch}`,
          },
        ],
        invocations: [
          {
            executionSuccessful: true,
            startTimeUtc: iso(scannedAt),
            endTimeUtc: iso(new Date(scannedAt.getTime() + 40_000)),
          },
        ],
        artifacts: paths.map(uri => ({
          location: { uri, uriBaseId: '%SRCROOT%' },
        })),
        results: options.findings.map(finding => {
          const ruleIndex = ruleOf(tool, finding.rule);
          const rule = spec.rules[ruleIndex];
          const suppressed =
            finding.suppression && day <= finding.suppression.from
              ? finding.suppression
              : undefined;
          return {
            ruleId: rule.id,
            ruleIndex,
            level: levelOf(rule.securitySeverity),
            message: { text: finding.message },
            locations: [
              {
                physicalLocation: {
                  artifactLocation: {
                    uri: finding.path,
                    uriBaseId: '%SRCROOT%',
                    index: paths.indexOf(finding.path),
                  },
                  region: {
                    startLine: finding.line,
                    startColumn: finding.column,
                    endLine: finding.line,
                    endColumn: finding.column + finding.length,
                  },
                },
              },
            ],
            // The same code gives the same hash in every scan and on every branch that has it.
            partialFingerprints: {
              primaryLocationLineHash: `${digest(
                [service.name, rule.id, finding.path, finding.line].join('\0'),
                16,
              )}:1`,
            },
            ...(suppressed
              ? {
                  suppressions: [
                    {
                      kind: 'external' as const,
                      status: suppressed.status,
                      justification: suppressed.justification,
                    },
                  ],
                }
              : {}),
          };
        }),
        columnKind: 'utf16CodeUnits',
      },
    ],
  };
}

/**
 * The SAST history of the demo services, as their CI would have uploaded it: one SARIF log per
 * scan and tool, in the order of their scans (so that every upload of a tool, category and branch
 * is newer than the one before), with the query parameters to send each with. Scan times are
 * relative to `now`, the present of the generated backups. The same options always give the same
 * logs.
 */
export function generateDemoSast(options: {
  now: Date;
  services: DemoService[];
}): Array<{ upload: DemoSastUpload; log: DemoSarifLog }> {
  const { now } = options;
  const scans = options.services.flatMap(service =>
    SCENARIOS[service.sast].scans.flatMap(scan =>
      scan.days.flatMap(day =>
        (['ESLint', 'secretlint'] as const).map(tool => ({
          service,
          tool,
          branch: scan.branch,
          day,
          scannedAt: new Date(
            now.getTime() - day * DAY - scan.hoursBefore * HOUR,
          ),
          // Both tools scan the same commit of one pipeline run.
          commit: digest(
            `${service.name}/${scan.branch}/${day}/${scan.hoursBefore}`,
            40,
          ),
        })),
      ),
    ),
  );
  scans.sort(
    (a, b) =>
      a.scannedAt.getTime() - b.scannedAt.getTime() ||
      a.service.name.localeCompare(b.service.name) ||
      a.branch.localeCompare(b.branch) ||
      a.tool.localeCompare(b.tool),
  );
  return scans.map((scan, i) => {
    const file = `${String(i + 1).padStart(3, '0')}-${
      scan.service.name
    }-${scan.tool.toLowerCase()}.sarif.json`;
    const findings = SCENARIOS[scan.service.sast].findings.filter(
      f => f.tool === scan.tool && reports(f, scan.branch, scan.day),
    );
    return {
      upload: {
        file,
        entityRef: `component:default/${scan.service.name}`,
        tool: scan.tool,
        category: TOOLS[scan.tool].category,
        branch: scan.branch,
        commit: scan.commit,
        scannedAt: iso(scan.scannedAt),
      },
      log: sarifLog({ ...scan, findings }),
    };
  });
}
