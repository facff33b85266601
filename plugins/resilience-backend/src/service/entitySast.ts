import {
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  EntitySastResponse,
  SAST_SEVERITIES,
  SastFindingSummary,
  SastRuleSummary,
  SastSeverity,
  SastSeverityCounts,
  SastToolFreshness,
  SastTrendPoint,
} from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredSastFinding,
  StoredSastFindingSpan,
  StoredSastReport,
} from '../database/ResilienceStore';
import { FileLinkBuilder, fileLinkBuilder } from '../sast/fileLinks';
import { PolicyConfig, resolveSastPolicy } from '../scoring/policy';
import { sastReportSummary } from './sastUploads';
import { entityDefaultBranches } from '../sast/defaultBranches';

/** The query parameters of `GET /entities/:kind/:namespace/:name/sast`. */
export interface EntitySastQuery {
  branch?: string;
  offset: number;
  limit: number;
  severities?: SastSeverity[];
  days: number;
}

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;
const DEFAULT_DAYS = 90;
const MAX_DAYS = 365;
const TOP_RULES = 10;
const DAY_MS = 86_400_000;

/**
 * A whole-number query parameter within bounds, or its fallback when absent.
 *
 * @throws InputError saying what the parameter must be.
 */
export function integerParameter(
  query: Record<string, unknown>,
  name: string,
  options: { fallback: number; min: number; max: number },
): number {
  const value = query[name];
  if (value === undefined) return options.fallback;
  const number = typeof value === 'string' ? Number(value) : NaN;
  if (
    !Number.isInteger(number) ||
    number < options.min ||
    number > options.max
  ) {
    throw new InputError(
      `The ${name} query parameter must be given once, as a whole number from ${options.min} to ${options.max}`,
    );
  }
  return number;
}

/** Reads and checks the query parameters, with a message that says what to fix. */
export function readEntitySastQuery(
  query: Record<string, unknown>,
): EntitySastQuery {
  const { branch, severity } = query;
  if (branch !== undefined && typeof branch !== 'string') {
    throw new InputError('The branch query parameter must be given once');
  }
  if (severity !== undefined && typeof severity !== 'string') {
    throw new InputError(
      `The severity query parameter must be given once, as a comma-separated list of ${SAST_SEVERITIES.join(
        ', ',
      )}`,
    );
  }
  let severities: SastSeverity[] | undefined;
  if (severity) {
    const given = severity.split(',').map(s => s.trim().toLowerCase());
    const unknown = given.filter(
      s => !SAST_SEVERITIES.includes(s as SastSeverity),
    );
    if (unknown.length > 0) {
      throw new InputError(
        `Unknown severity ${unknown
          .map(s => `"${s}"`)
          .join(
            ', ',
          )} in the severity query parameter; use ${SAST_SEVERITIES.join(
          ', ',
        )}`,
      );
    }
    severities = given as SastSeverity[];
  }
  return {
    branch: branch || undefined,
    offset: integerParameter(query, 'offset', {
      fallback: 0,
      min: 0,
      max: Number.MAX_SAFE_INTEGER,
    }),
    limit: integerParameter(query, 'limit', {
      fallback: DEFAULT_LIMIT,
      min: 1,
      max: MAX_LIMIT,
    }),
    severities,
    days: integerParameter(query, 'days', {
      fallback: DEFAULT_DAYS,
      min: 1,
      max: MAX_DAYS,
    }),
  };
}

const zero = (): SastSeverityCounts =>
  Object.fromEntries(SAST_SEVERITIES.map(s => [s, 0])) as SastSeverityCounts;

const rank = (severity: SastSeverity) => SAST_SEVERITIES.indexOf(severity);

function findingSummary(
  finding: StoredSastFinding,
  commitOf: (reportId: string) => string | undefined,
  link: FileLinkBuilder | undefined,
): SastFindingSummary {
  const commit = commitOf(finding.lastReportId);
  return {
    tool: finding.toolName,
    category: finding.category,
    branch: finding.branch,
    fingerprint: finding.fingerprint,
    ruleId: finding.ruleId,
    ruleName: finding.ruleName,
    severity: finding.severity,
    message: finding.message,
    path: finding.path,
    startLine: finding.startLine,
    startColumn: finding.startColumn,
    endLine: finding.endLine,
    suppression:
      finding.suppression === 'under-review' ? 'under-review' : undefined,
    firstSeenAt: finding.firstSeenAt.toISOString(),
    lastSeenAt: finding.lastSeenAt.toISOString(),
    commit,
    url:
      link && finding.path
        ? link({
            path: finding.path,
            ref: commit ?? finding.branch,
            line: finding.startLine,
          })
        : undefined,
  };
}

/** The rules with the most open findings: most findings first, then most severe, then by id. */
export function topRules(findings: StoredSastFinding[]): SastRuleSummary[] {
  const rules = new Map<string, SastRuleSummary>();
  for (const finding of findings) {
    const key = JSON.stringify([finding.toolName, finding.ruleId]);
    const rule = rules.get(key);
    if (!rule) {
      rules.set(key, {
        tool: finding.toolName,
        ruleId: finding.ruleId,
        ruleName: finding.ruleName,
        severity: finding.severity,
        open: 1,
      });
    } else {
      rule.open += 1;
      rule.ruleName ??= finding.ruleName;
      if (rank(finding.severity) < rank(rule.severity)) {
        rule.severity = finding.severity;
      }
    }
  }
  return [...rules.values()]
    .sort(
      (a, b) =>
        b.open - a.open ||
        rank(a.severity) - rank(b.severity) ||
        a.tool.localeCompare(b.tool) ||
        a.ruleId.localeCompare(b.ruleId),
    )
    .slice(0, TOP_RULES);
}

/**
 * The open findings by severity at the end of each of the last `days` UTC days, today's as of
 * `now`, from the findings' open periods; none before the day of the first scan (`since`), when
 * nothing was known.
 */
export function sastTrend(options: {
  spans: StoredSastFindingSpan[];
  days: number;
  now: Date;
  since?: Date;
}): SastTrendPoint[] {
  const { spans, days, now, since } = options;
  if (!since) return [];
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const firstDay = Math.floor(since.getTime() / DAY_MS) * DAY_MS;
  const points: SastTrendPoint[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const start = today - i * DAY_MS;
    if (start < firstDay) continue;
    const at = Math.min(start + DAY_MS - 1, now.getTime());
    const open = zero();
    for (const span of spans) {
      if (
        span.openedAt.getTime() <= at &&
        (!span.closedAt || span.closedAt.getTime() > at)
      ) {
        open[span.severity] += 1;
      }
    }
    points.push({ date: new Date(start).toISOString().slice(0, 10), open });
  }
  return points;
}

/** How recently each tool that reported on the branch, and each required tool, scanned it. */
export function toolFreshness(options: {
  reports: StoredSastReport[];
  requiredTools: string[];
  scanMaxAgeMs: number;
  now: Date;
}): SastToolFreshness[] {
  const latest = new Map<string, Date>();
  for (const report of options.reports) {
    const seen = latest.get(report.toolName);
    if (!seen || seen < report.scannedAt) {
      latest.set(report.toolName, report.scannedAt);
    }
  }
  const tools = [...new Set([...latest.keys(), ...options.requiredTools])];
  return tools.sort().map(tool => {
    const at = latest.get(tool);
    const required = options.requiredTools.includes(tool);
    if (!at) return { tool, required, state: 'missing' };
    const ageMs = Math.max(0, options.now.getTime() - at.getTime());
    return {
      tool,
      lastScannedAt: at.toISOString(),
      ageSeconds: Math.floor(ageMs / 1000),
      required,
      state: ageMs <= options.scanMaxAgeMs ? 'fresh' : 'stale',
    };
  });
}

/**
 * The SAST view of an entity: one branch (the one asked for, else the first default branch
 * with a report, else that of the latest scan), its open findings by severity and one page of
 * them, its top rules, the trend of its open findings, the latest report of each tool and
 * category on it, and how recently each tool scanned it.
 */
export async function entitySast(options: {
  store: ResilienceStore;
  entity: Entity;
  policies: PolicyConfig;
  defaultBranches: string[];
  query: EntitySastQuery;
  now: Date;
}): Promise<EntitySastResponse> {
  const { store, entity, query, now } = options;
  const defaultBranches = entityDefaultBranches(
    entity,
    options.defaultBranches,
  );
  const entityRef = stringifyEntityRef(entity);
  const resolved = resolveSastPolicy(entity, options.policies);
  const policy = {
    tier: resolved.tier,
    highFindingSlaSeconds: Math.round(resolved.policy.highFindingSlaMs / 1000),
    scanMaxAgeSeconds: Math.round(resolved.policy.scanMaxAgeMs / 1000),
    requiredTools: resolved.policy.requiredTools,
  };
  const reports = await store.listSastReports({ entityRef });
  const branches = [...new Set(reports.map(r => r.branch))].sort();
  const branch =
    query.branch ??
    defaultBranches.find(b => branches.includes(b)) ??
    reports[0]?.branch;
  const onBranch = reports.filter(r => r.branch === branch);
  const findings =
    branch === undefined
      ? []
      : await store.listOpenSastFindings({ entityRef, branch });
  const openFindings = zero();
  for (const finding of findings) {
    openFindings[finding.severity] += 1;
  }
  const selected = query.severities
    ? findings.filter(f => query.severities!.includes(f.severity))
    : findings;
  const commits = new Map(reports.map(r => [r.id, r.commit]));
  const link = fileLinkBuilder(
    entity.metadata.annotations?.[ANNOTATION_SOURCE_LOCATION],
  );
  const firstDay = new Date(
    (Math.floor(now.getTime() / DAY_MS) - (query.days - 1)) * DAY_MS,
  );
  const spans =
    branch === undefined
      ? []
      : await store.listSastFindingSpans({
          entityRef,
          branches: [branch],
          openAtOrAfter: firstDay,
        });
  // Reports are newest first: the first of each tool and category is its latest.
  const latest = new Map<string, StoredSastReport>();
  for (const report of onBranch) {
    const key = JSON.stringify([report.toolName, report.category]);
    if (!latest.has(key)) latest.set(key, report);
  }
  return {
    entityRef,
    generatedAt: now.toISOString(),
    branch,
    isDefaultBranch: branch !== undefined && defaultBranches.includes(branch),
    branches,
    openFindings,
    findings: selected
      .slice(query.offset, query.offset + query.limit)
      .map(f => findingSummary(f, id => commits.get(id), link)),
    findingsTotal: selected.length,
    topRules: topRules(findings),
    trend: sastTrend({
      spans,
      days: query.days,
      now,
      // Reports are newest first.
      since: onBranch[onBranch.length - 1]?.scannedAt,
    }),
    latestReports: [...latest.values()].map(sastReportSummary),
    tools: toolFreshness({
      reports: onBranch,
      requiredTools: policy.requiredTools,
      scanMaxAgeMs: resolved.policy.scanMaxAgeMs,
      now,
    }),
    policy,
  };
}
