import { createHash } from 'crypto';
import { posix } from 'path';
import {
  SarifArtifactLocation,
  SarifLevel,
  SarifLocation,
  SarifLog,
  SarifMessage,
  SarifPropertyBag,
  SarifReportingDescriptor,
  SarifResult,
  SarifRun,
  SarifToolComponent,
} from './sarifLog';
import {
  FindingSeverity,
  NormalisedFinding,
  NormalisedReport,
  NormalisedRun,
} from './types';

/** The rule id of a result that names no rule at all, so that such results still group. */
export const UNKNOWN_RULE_ID = 'unknown-rule';

/** The base names tools use for the root of the scanned sources. */
const SOURCE_ROOT_BASE_IDS = ['SRCROOT', '%SRCROOT%'];

/** Base URIs may refer to further bases; a longer chain than this is taken to be a cycle. */
const MAX_BASE_DEPTH = 10;

function asText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * GitHub's category: `automationDetails.id` up to and including its last `/`
 * (`my-analysis/tool1/2022-01-02` → `my-analysis/tool1/`). GitHub documents an id without any
 * `/` as a run id with no category, so it gives `''`: reading it as a category would give every
 * nightly run (`nightly-2024-01-02`) its own category, and no run would ever replace another.
 */
export function categoryOf(automationId: string | undefined): string {
  const slash = automationId?.lastIndexOf('/') ?? -1;
  return slash < 0 ? '' : automationId!.slice(0, slash + 1);
}

/** GitHub's bands for `security-severity` (a CVSS-like score from 0 to 10). */
export function severityOfScore(score: number): FindingSeverity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score >= 0.1) return 'low';
  return 'none';
}

/** `security-severity` is a string in GitHub's docs and a number in some tools' output. */
function securitySeverityOf(
  properties: SarifPropertyBag | undefined,
): number | undefined {
  const raw = properties?.['security-severity'];
  let score = NaN;
  if (typeof raw === 'number') {
    score = raw;
  } else if (typeof raw === 'string' && raw.trim() !== '') {
    score = Number(raw);
  }
  return Number.isFinite(score) && score >= 0 && score <= 10
    ? score
    : undefined;
}

const SEVERITY_OF_LEVEL: Record<SarifLevel, FindingSeverity> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
  none: 'none',
};

/** CodeQL's `problem.severity`, written as a flat key or, by some tools, nested. */
const SEVERITY_OF_PROBLEM_SEVERITY: Record<string, FindingSeverity> = {
  error: 'high',
  warning: 'medium',
  recommendation: 'low',
};

const SEVERITY_TAGS: FindingSeverity[] = ['critical', 'high', 'medium', 'low'];

function problemSeverityOf(
  properties: SarifPropertyBag | undefined,
): FindingSeverity | undefined {
  const problem = properties?.problem;
  const raw =
    properties?.['problem.severity'] ??
    (typeof problem === 'object' && problem !== null
      ? (problem as Record<string, unknown>).severity
      : undefined);
  return typeof raw === 'string'
    ? SEVERITY_OF_PROBLEM_SEVERITY[raw.toLowerCase()]
    : undefined;
}

/** A tag naming a severity (`CRITICAL`, `high`), as some scanners add to `properties.tags`. */
function severityTagOf(
  properties: SarifPropertyBag | undefined,
): FindingSeverity | undefined {
  const tags = Array.isArray(properties?.tags) ? properties!.tags : [];
  const lowered = tags
    .filter((tag): tag is string => typeof tag === 'string')
    .map(tag => tag.toLowerCase());
  return SEVERITY_TAGS.find(severity => lowered.includes(severity));
}

/**
 * Severity as GitHub shows it: the `security-severity` score (the rule's, else the result's)
 * when there is one; else the SARIF level (the result's, else the rule's default); else, for
 * tools that set no level, CodeQL-style `problem.severity` or a severity tag; else SARIF's default
 * level, `warning`.
 */
export function severityOf(options: {
  result: SarifResult;
  rule?: SarifReportingDescriptor;
}): FindingSeverity {
  const { result, rule } = options;
  const score =
    securitySeverityOf(rule?.properties) ??
    securitySeverityOf(result.properties);
  if (score !== undefined) {
    return severityOfScore(score);
  }
  const level = result.level ?? rule?.defaultConfiguration?.level;
  if (level && SEVERITY_OF_LEVEL[level]) {
    return SEVERITY_OF_LEVEL[level];
  }
  return (
    problemSeverityOf(rule?.properties) ??
    problemSeverityOf(result.properties) ??
    severityTagOf(rule?.properties) ??
    severityTagOf(result.properties) ??
    SEVERITY_OF_LEVEL.warning
  );
}

/** The tool component a result's rule belongs to: an extension (CodeQL packs), else the driver. */
function componentOf(
  run: SarifRun,
  result: SarifResult,
): SarifToolComponent | undefined {
  const reference = result.rule?.toolComponent;
  if (reference?.index !== undefined) {
    return run.tool.extensions?.[reference.index];
  }
  if (
    reference?.name !== undefined &&
    reference.name !== run.tool.driver.name
  ) {
    return run.tool.extensions?.find(e => e.name === reference.name);
  }
  return run.tool.driver;
}

/**
 * The result's rule id and, when the log describes it, its descriptor. The id wins over the
 * index when both are given and disagree: the index is the more easily broken of the two (tools
 * that merge logs renumber rules), and a dangling id is still worth keeping as the finding's rule.
 */
export function ruleOf(options: { run: SarifRun; result: SarifResult }): {
  ruleId: string;
  rule?: SarifReportingDescriptor;
} {
  const { run, result } = options;
  const component = componentOf(run, result);
  const rules = component?.rules ?? [];
  const index = result.ruleIndex ?? result.rule?.index;
  const indexed =
    index !== undefined && index >= 0 && index < rules.length
      ? rules[index]
      : undefined;
  const ruleId =
    asText(result.ruleId) ??
    asText(result.rule?.id) ??
    asText(indexed?.id) ??
    UNKNOWN_RULE_ID;
  const rule =
    indexed?.id === ruleId ? indexed : rules.find(r => r.id === ruleId);
  return { ruleId, rule };
}

/**
 * Fills `{0}`-style placeholders with the message's arguments; `{{` and `}}` are SARIF's escapes
 * for literal braces. A placeholder without an argument is left as written.
 */
export function formatMessage(text: string, args: string[] = []): string {
  return text.replace(/\{\{|\}\}|\{(\d+)\}/g, (match, index?: string) => {
    if (index === undefined) {
      return match[0];
    }
    const arg = args[Number(index)];
    return arg === undefined ? match : arg;
  });
}

function messageOf(
  result: SarifResult,
  rule: SarifReportingDescriptor | undefined,
): string {
  const { message } = result;
  const template =
    asText(message.text) ??
    (message.id ? asText(rule?.messageStrings?.[message.id]?.text) : undefined);
  if (template !== undefined) {
    return message.arguments
      ? formatMessage(template, message.arguments)
      : template;
  }
  return asText(rule?.shortDescription?.text) ?? '';
}

function hasScheme(uri: string): boolean {
  return /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(uri) && !/^[a-zA-Z]:[\\/]/.test(uri);
}

/**
 * An artifact location as one URI: a base named by `uriBaseId` is looked up in the run's
 * `originalUriBaseIds` (bases may chain); a base the log does not define is left out, leaving the
 * URI relative, which GitHub reads as relative to the repository root.
 */
function resolveUri(
  run: SarifRun,
  location: SarifArtifactLocation | undefined,
  depth = 0,
): string | undefined {
  if (!location || depth > MAX_BASE_DEPTH) {
    return undefined;
  }
  const artifact =
    location.uri === undefined && location.index !== undefined
      ? run.artifacts?.[location.index]?.location
      : undefined;
  const uri = location.uri ?? artifact?.uri;
  const baseId = location.uriBaseId ?? artifact?.uriBaseId;
  if (uri !== undefined && hasScheme(uri)) {
    return uri;
  }
  const base = baseId ? run.originalUriBaseIds?.[baseId] : undefined;
  const baseUri = base ? resolveUri(run, base, depth + 1) : undefined;
  if (baseUri === undefined) {
    return uri;
  }
  const joined = baseUri.endsWith('/') ? baseUri : `${baseUri}/`;
  return uri === undefined ? joined : `${joined}${uri.replace(/^\/+/, '')}`;
}

/** The decoded path of a `file:` URI (`/C:/src` for a Windows drive), else undefined. */
function filePathOf(uri: string): string | undefined {
  if (!/^file:/i.test(uri)) {
    return undefined;
  }
  try {
    return decodeURIComponent(new URL(uri).pathname);
  } catch {
    return undefined;
  }
}

/** A repository root, given as a path or a `file:` URI, as a `/`-separated path ending in `/`. */
function rootPathOf(root: string): string {
  const path = filePathOf(root) ?? root.replace(/\\/g, '/');
  const absolute = /^[a-zA-Z]:\//.test(path) ? `/${path}` : path;
  return absolute.endsWith('/') ? absolute : `${absolute}/`;
}

function decodeRelative(uri: string): string {
  try {
    return decodeURIComponent(uri);
  } catch {
    return uri;
  }
}

/**
 * A location's file relative to the repository root: a `file:` URI under the root (the caller's
 * `repositoryRoot`, else the run's `SRCROOT`) loses the root; other `file:` URIs keep their path
 * without the scheme (a file outside the repository is still worth naming); URIs of other schemes
 * are kept whole, since they cannot be made relative. Leading `./` and `/` are dropped.
 */
export function pathOf(options: {
  run: SarifRun;
  location: SarifArtifactLocation | undefined;
  repositoryRoot?: string;
}): string | undefined {
  const { run, location, repositoryRoot } = options;
  const uri = resolveUri(run, location);
  if (uri === undefined || uri === '') {
    return undefined;
  }
  let path: string;
  const filePath = filePathOf(uri);
  if (filePath !== undefined) {
    const sourceRoot = SOURCE_ROOT_BASE_IDS.map(id =>
      run.originalUriBaseIds?.[id]
        ? resolveUri(run, run.originalUriBaseIds[id])
        : undefined,
    ).find(root => root !== undefined && filePathOf(root) !== undefined);
    const root = repositoryRoot ?? sourceRoot;
    const rootPath = root === undefined ? undefined : rootPathOf(root);
    path =
      rootPath !== undefined && filePath.startsWith(rootPath)
        ? filePath.slice(rootPath.length)
        : filePath;
  } else if (hasScheme(uri)) {
    return uri;
  } else {
    path = decodeRelative(uri);
  }
  const normalised = posix.normalize(path.replace(/\\/g, '/'));
  const relative = normalised.replace(/^(\.\/|\/)+/, '');
  return relative === '' || relative === '.' ? undefined : relative;
}

function firstSorted(
  values: Record<string, string> | undefined,
): string | undefined {
  const key = Object.keys(values ?? {})
    .filter(k => asText(values![k]) !== undefined)
    .sort()[0];
  return key === undefined ? undefined : `${key}/${values![key]}`;
}

// Advisory fields of Trivy's result message: a vulnerability database update between two scans
// of the same image re-rates the severity, learns of a fix or moves the link, and the finding is
// still the same package with the same vulnerability (the rule names the vulnerability and the
// severity is kept apart). Only these labels, at the start of a line, as Trivy writes them.
const ADVISORY_LINE = /^(?:Severity|Fixed Version|Link):.*$/gm;

// ISO 8601 dates, with or without a time and zone, and bare clock times: when the tool ran, or
// when a database was built, is no part of the problem.
const TIMESTAMP =
  /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?/g;
const CLOCK_TIME = /\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b/g;

// Positions move whenever code above them changes: `line 12`, `lines 3-5`, `column 7`, `#L12-L14`
// and `file.ext:12:3`. The last needs a file extension before it, so that versions with an epoch
// (`1:2.3-4`) and image tags (`alpine:3.17`) are kept.
const LINE_WORDS = /\b(?:lines?|col(?:umn)?s?)\s*:?\s*\d+(?:\s*[-–]\s*\d+)?/gi;
const LINE_ANCHOR = /#L\d+(?:C\d+)?(?:-L\d+(?:C\d+)?)?/g;
const FILE_POSITION = /(?<=\.[A-Za-z][\w-]*):\d+(?::\d+)?(?!\.?\w)/g;

/**
 * Message text as a finding's identity reads it: without advisory fields that a vulnerability
 * database update changes, timestamps and positions, with whitespace collapsed. What is left
 * says which thing is affected: the package and installed version in Trivy's messages, the
 * variable or call in a code scanner's.
 */
export function identityText(text: string): string {
  return text
    .replace(ADVISORY_LINE, '')
    .replace(TIMESTAMP, '')
    .replace(CLOCK_TIME, '')
    .replace(LINE_WORDS, '')
    .replace(LINE_ANCHOR, '')
    .replace(FILE_POSITION, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A message as identity: its `text` (with any arguments filled in), else its message string's id
 * and arguments. The id rather than the rule's template, since a tool's next version may reword
 * the template of the same problem; `markdown` is never needed, SARIF requiring `text` beside it.
 */
function messageIdentityOf(message: SarifMessage | undefined): string {
  const text = asText(message?.text);
  if (text !== undefined) {
    return identityText(formatMessage(text, message?.arguments));
  }
  const id = asText(message?.id);
  if (id === undefined) {
    return '';
  }
  return [`id:${id}`, ...(message?.arguments ?? []).map(identityText)].join(
    '\0',
  );
}

/**
 * The finding's identity across uploads, prefixed with its source: the tool's line hash
 * (`plh:`), else another partial fingerprint (`partial:key/value`, first key in sorted order),
 * else a full fingerprint (`fp:`), else our own hash (`hash:`) of
 *
 * - the rule and the file;
 * - the code itself: its snippet with whitespace collapsed, so re-indenting or moving it keeps
 *   the identity, or, with no snippet, its lines;
 * - the result's message and the primary location's message, read by `identityText` (no
 *   timestamps, positions or advisory fields) or, for a message string, as its id and arguments.
 *
 * The messages are needed by container scanners (Trivy, Grype): they report one vulnerability in
 * each affected package at the same place, the image at line 1, and only the messages say which
 * package it is. Without them the packages would be one finding, fixed as soon as one of them is.
 */
export function fingerprintOf(options: {
  result: SarifResult;
  ruleId: string;
  path?: string;
}): string {
  const { result, ruleId, path } = options;
  const lineHash = asText(result.partialFingerprints?.primaryLocationLineHash);
  if (lineHash !== undefined) {
    return `plh:${lineHash}`;
  }
  const partial = firstSorted(result.partialFingerprints);
  if (partial !== undefined) {
    return `partial:${partial}`;
  }
  const full = firstSorted(result.fingerprints);
  if (full !== undefined) {
    return `fp:${full}`;
  }
  const location: SarifLocation | undefined = result.locations?.[0];
  const region = location?.physicalLocation?.region;
  const snippet = region?.snippet?.text?.replace(/\s+/g, ' ').trim();
  const where = snippet
    ? `snippet:${snippet}`
    : `lines:${region?.startLine ?? ''}-${
        region?.endLine ?? region?.startLine ?? ''
      }`;
  const hash = createHash('sha256')
    .update(
      [
        ruleId,
        path ?? '',
        where,
        `message:${messageIdentityOf(result.message)}`,
        `location:${messageIdentityOf(location?.message)}`,
      ].join('\0'),
    )
    .digest('hex');
  return `hash:${hash}`;
}

/**
 * `accepted` when any suppression is accepted (SARIF: a suppression without `status` is
 * accepted), else `under-review` when one is under review; rejected suppressions do not count.
 */
export function suppressionOf(
  result: SarifResult,
): NormalisedFinding['suppression'] {
  const statuses = (result.suppressions ?? []).map(s => s.status ?? 'accepted');
  if (statuses.includes('accepted')) return 'accepted';
  if (statuses.includes('underReview')) return 'under-review';
  return undefined;
}

/** Only failures are findings: `pass`, `notApplicable`, `review` and the rest are not. */
function isFailure(result: SarifResult): boolean {
  return result.kind === undefined || result.kind === 'fail';
}

function findingOf(options: {
  run: SarifRun;
  result: SarifResult;
  repositoryRoot?: string;
}): NormalisedFinding | undefined {
  const { run, result, repositoryRoot } = options;
  const { ruleId, rule } = ruleOf({ run, result });
  if (rule?.defaultConfiguration?.enabled === false) {
    return undefined;
  }
  const physical = result.locations?.[0]?.physicalLocation;
  const path = pathOf({
    run,
    location: physical?.artifactLocation,
    repositoryRoot,
  });
  const region = physical?.region;
  const finding: NormalisedFinding = {
    fingerprint: fingerprintOf({ result, ruleId, path }),
    ruleId,
    severity: severityOf({ result, rule }),
    message: messageOf(result, rule),
  };
  const ruleName = asText(rule?.shortDescription?.text) ?? asText(rule?.name);
  if (ruleName !== undefined) finding.ruleName = ruleName;
  if (path !== undefined) finding.path = path;
  if (region?.startLine !== undefined) finding.startLine = region.startLine;
  if (region?.startColumn !== undefined) {
    finding.startColumn = region.startColumn;
  }
  if (region?.endLine !== undefined) finding.endLine = region.endLine;
  const suppression = suppressionOf(result);
  if (suppression !== undefined) finding.suppression = suppression;
  return finding;
}

function earliestStart(run: SarifRun): Date | undefined {
  const times = (run.invocations ?? [])
    .map(invocation => Date.parse(invocation.startTimeUtc ?? ''))
    .filter(time => Number.isFinite(time));
  return times.length > 0 ? new Date(Math.min(...times)) : undefined;
}

function normaliseRun(options: {
  run: SarifRun;
  repositoryRoot?: string;
}): NormalisedRun {
  const { run, repositoryRoot } = options;
  const { driver } = run.tool;
  const normalised: NormalisedRun = {
    toolName: driver.name,
    category: categoryOf(run.automationDetails?.id),
    findings: [],
  };
  const toolVersion = asText(driver.semanticVersion) ?? asText(driver.version);
  if (toolVersion !== undefined) normalised.toolVersion = toolVersion;
  const provenance = run.versionControlProvenance?.[0];
  if (provenance) {
    normalised.repositoryUri = provenance.repositoryUri;
    if (provenance.revisionId) normalised.revisionId = provenance.revisionId;
    if (provenance.branch) normalised.branch = provenance.branch;
  }
  const startedAt = earliestStart(run);
  if (startedAt) normalised.startedAt = startedAt;

  // One finding per fingerprint: the same problem reported twice (a rule firing twice on one
  // line with the same message and no tool fingerprint, or a log that repeats results) is one
  // thing to fix.
  const seen = new Set<string>();
  for (const result of run.results ?? []) {
    if (!isFailure(result)) continue;
    const finding = findingOf({ run, result, repositoryRoot });
    if (finding && !seen.has(finding.fingerprint)) {
      seen.add(finding.fingerprint);
      normalised.findings.push(finding);
    }
  }
  return normalised;
}

/**
 * A SARIF log as the store keeps it: one normalised run per SARIF run, each with the findings
 * that count (failures of enabled rules), their severity as GitHub maps it, their file relative
 * to the repository root and a fingerprint that stays the same across uploads.
 *
 * @param options.document - a log that passed `validateSarif`
 * @param options.repositoryRoot - the checkout the tool scanned, as a path or `file:` URI;
 *   absolute `file:` URIs under it become relative paths. Defaults to each run's `SRCROOT`.
 */
export function normaliseSarif(options: {
  document: SarifLog;
  repositoryRoot?: string;
}): NormalisedReport {
  const { document, repositoryRoot } = options;
  return {
    runs: (document.runs ?? []).map(run =>
      normaliseRun({ run, repositoryRoot }),
    ),
  };
}
