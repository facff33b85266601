/**
 * A large SARIF 2.1.0 log for the upload bench: one run of a scanner with `results` results over
 * a repository, each about `bytes / results` bytes long, as a scanner of a large monorepo writes
 * them (a rule with GitHub's `security-severity`, one location, a `primaryLocationLineHash`).
 * The same options always give the same bytes. `changedEvery: 10` gives the log of the next scan
 * with every tenth result replaced by another (a fixed finding and a new one): 10 % changed.
 */
import { createHash } from 'node:crypto';

export interface LargeSarifOptions {
  results: number;
  /** About how large the log is, in bytes. */
  bytes: number;
  /** Replace every n-th result (the first among them) by another finding. */
  changedEvery?: number;
}

/** The tool's name, as the log names it and the upload stores it. */
export const LARGE_SARIF_TOOL = 'BenchScanner';

const RULES = 40;
const FILES = 5_000;
// GitHub's severity bands: critical from 9.0, high from 7.0, medium from 4.0, low below.
const SEVERITIES = ['9.1', '7.5', '5.3', '2.0'];

const hash = (text: string) =>
  createHash('sha256').update(text).digest('hex').slice(0, 16);

function rule(i: number) {
  const severity = SEVERITIES[i % SEVERITIES.length];
  return {
    id: `bench/rule-${i}`,
    name: `BenchRule${i}`,
    shortDescription: { text: `Bench rule ${i}` },
    defaultConfiguration: {
      level: Number(severity) >= 7 ? 'error' : 'warning',
    },
    properties: { 'security-severity': severity, tags: ['security'] },
  };
}

/** The i-th result; `generation` tells a changed result from the one it replaced. */
function result(i: number, generation: number, padding: string) {
  const ruleIndex = i % RULES;
  const file = i % FILES;
  const line = 1 + Math.floor(i / FILES) + generation * 100_000;
  return {
    ruleId: `bench/rule-${ruleIndex}`,
    ruleIndex,
    level:
      Number(SEVERITIES[ruleIndex % SEVERITIES.length]) >= 7
        ? 'error'
        : 'warning',
    message: {
      text: `Finding ${i}.${generation} of rule ${ruleIndex}: ${padding}`,
    },
    locations: [
      {
        physicalLocation: {
          artifactLocation: {
            uri: `src/module-${file % 100}/file-${file}.ts`,
            uriBaseId: '%SRCROOT%',
          },
          region: {
            startLine: line,
            startColumn: 5,
            endLine: line,
            endColumn: 42,
          },
        },
      },
    ],
    partialFingerprints: {
      primaryLocationLineHash: `${hash(`${i}/${generation}`)}:1`,
    },
  };
}

/** The log, as the text to upload. */
export function largeSarif(options: LargeSarifOptions): string {
  const head = JSON.stringify({
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: LARGE_SARIF_TOOL,
            version: '1.0.0',
            rules: Array.from({ length: RULES }, (_, i) => rule(i)),
          },
        },
        automationDetails: { id: 'bench/' },
        results: [],
      },
    ],
  });
  const changed = (i: number) =>
    options.changedEvery !== undefined && i % options.changedEvery === 0;
  const write = (padding: string) => {
    const parts: string[] = [];
    for (let i = 0; i < options.results; i++) {
      parts.push(JSON.stringify(result(i, changed(i) ? 1 : 0, padding)));
    }
    return parts;
  };
  // The message padding that brings the results to their share of the bytes.
  const bare = write('').reduce((n, part) => n + part.length + 1, 0);
  const padding = 'x'.repeat(
    Math.max(
      0,
      Math.floor((options.bytes - head.length - bare) / options.results),
    ),
  );
  const parts = write(padding);
  const open = head.lastIndexOf('"results":[]') + '"results":['.length;
  return `${head.slice(0, open)}${parts.join(',')}${head.slice(open)}`;
}

/** What one upload of the bench took, and what the backend said it stored. */
export interface SarifUploadRun {
  elapsedMs: number;
  /** The backend's resident set just before the upload. */
  rssBeforeBytes: number;
  /** Its peak during the upload (`VmHWM`, reset as it started). */
  peakRssBytes: number;
  /** Of the stored report: findings new or reopened, and those fixed, by this scan. */
  opened: number;
  fixed: number;
}

/** JSON.parse of the same bytes, in a process of its own. */
export interface SarifFloorResult {
  elapsedMs: number;
  results: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
}

/** The upload's response, as far as the bench reads it. */
export interface SarifUploadResponse {
  reports: Array<{ opened: number; fixed: number }>;
}

/** What opened and fixed must be, for the bench to count an upload as right. */
export function expectedChanges(options: {
  which: 'first' | 'again' | 'changed';
  results: number;
  changedEvery: number;
}): { opened: number; fixed: number } {
  if (options.which === 'first') return { opened: options.results, fixed: 0 };
  if (options.which === 'again') return { opened: 0, fixed: 0 };
  const changed = Math.ceil(options.results / options.changedEvery);
  return { opened: changed, fixed: changed };
}

/** The changed scan of the bench replaces every tenth result: 10 % changed. */
export const SARIF_CHANGED_EVERY = 10;
