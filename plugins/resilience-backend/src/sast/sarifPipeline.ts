import { createHash } from 'node:crypto';
import { InputError } from '@backstage/errors';
import {
  FindingSeverity,
  NormalisedFinding,
  NormalisedReport,
  NormalisedRun,
} from './types';

/*
 * TEMPORARY PLACEHOLDER. The body of `parseSarifReport` is a minimal stand-in so that the upload
 * route and its tests can run; it is replaced by `validateSarif` + `normaliseSarif` (written
 * separately) when the branches are merged. Every caller goes through `parseSarifReport` only,
 * so only this file changes then.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const LEVEL_SEVERITY: Record<string, FindingSeverity> = {
  error: 'high',
  warning: 'medium',
  note: 'low',
};

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function mapResult(result: Json): NormalisedFinding {
  const ruleId = str(result.ruleId) ?? '';
  const message = isObject(result.message) ? str(result.message.text) : '';
  const location = Array.isArray(result.locations)
    ? result.locations[0]
    : undefined;
  const physical = isObject(location) ? location.physicalLocation : undefined;
  const artifact = isObject(physical) ? physical.artifactLocation : undefined;
  const region = isObject(physical) ? physical.region : undefined;
  const path = isObject(artifact) ? str(artifact.uri) : undefined;
  const startLine =
    isObject(region) && typeof region.startLine === 'number'
      ? region.startLine
      : undefined;
  const partial = isObject(result.partialFingerprints)
    ? str(result.partialFingerprints.primaryLocationLineHash)
    : undefined;
  const fingerprint = partial
    ? `partial:${partial}`
    : `hash:${createHash('sha256')
        .update(JSON.stringify([ruleId, path ?? '', startLine ?? 0]))
        .digest('hex')}`;
  const suppressions = Array.isArray(result.suppressions)
    ? result.suppressions.filter(isObject)
    : [];
  let suppression: NormalisedFinding['suppression'];
  if (suppressions.some(s => s.status === 'underReview')) {
    suppression = 'under-review';
  } else if (
    suppressions.some(s => s.status === undefined || s.status === 'accepted')
  ) {
    suppression = 'accepted';
  }
  return {
    fingerprint,
    ruleId,
    severity: LEVEL_SEVERITY[String(result.level ?? 'warning')] ?? 'none',
    message: message ?? '',
    path,
    startLine,
    suppression,
  };
}

function mapRun(run: Json): NormalisedRun {
  const tool = isObject(run.tool) ? run.tool : {};
  const driver = isObject(tool.driver) ? tool.driver : {};
  const automationId = isObject(run.automationDetails)
    ? str(run.automationDetails.id)
    : undefined;
  const provenance = Array.isArray(run.versionControlProvenance)
    ? run.versionControlProvenance.find(isObject)
    : undefined;
  const starts = (Array.isArray(run.invocations) ? run.invocations : [])
    .map(i => (isObject(i) ? str(i.startTimeUtc) : undefined))
    .map(s => (s ? new Date(s) : undefined))
    .filter((d): d is Date => !!d && !Number.isNaN(d.getTime()))
    .sort((a, b) => a.getTime() - b.getTime());
  const results = Array.isArray(run.results)
    ? run.results.filter(isObject)
    : [];
  return {
    toolName: str(driver.name) ?? '',
    toolVersion: str(driver.semanticVersion) ?? str(driver.version),
    category: automationId?.includes('/')
      ? automationId.slice(0, automationId.lastIndexOf('/'))
      : '',
    repositoryUri: provenance ? str(provenance.repositoryUri) : undefined,
    revisionId: provenance ? str(provenance.revisionId) : undefined,
    branch: provenance ? str(provenance.branch) : undefined,
    startedAt: starts[0],
    findings: results
      .filter(r => r.kind === undefined || r.kind === 'fail')
      .map(mapResult),
  };
}

/**
 * Checks that a parsed JSON document is a SARIF 2.1.0 log and normalises it.
 *
 * @throws InputError saying what is wrong, when it is not a SARIF log.
 */
export function parseSarifReport(document: unknown): NormalisedReport {
  if (!isObject(document)) {
    throw new InputError('The report is not a SARIF log: not a JSON object');
  }
  if (document.version !== '2.1.0') {
    throw new InputError(
      `The report is not a SARIF 2.1.0 log: "version" is ${JSON.stringify(
        document.version,
      )}, not "2.1.0"`,
    );
  }
  if (!Array.isArray(document.runs)) {
    throw new InputError(
      'The report is not a SARIF log: "runs" is missing or not an array',
    );
  }
  return {
    runs: document.runs.map((run, index) => {
      if (!isObject(run) || !isObject(run.tool)) {
        throw new InputError(
          `The report is not a SARIF log: runs[${index}] has no "tool"`,
        );
      }
      return mapRun(run);
    }),
  };
}
