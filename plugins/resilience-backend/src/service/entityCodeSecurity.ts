import { FlipTimes } from '../scoring/flips';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CheckResult } from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredSastFinding,
  StoredSastReport,
} from '../database/ResilienceStore';
import {
  PolicyConfig,
  resolveSastPolicy,
  untrustedSastThresholds,
} from '../scoring/policy';
import { sastChecks } from '../scoring/sastChecks';

/** What an entity's code-security checks read: its SAST reports and open critical and high findings. */
export interface CodeSecurityFacts {
  reports: StoredSastReport[];
  openFindings: StoredSastFinding[];
}

export async function loadCodeSecurity(
  store: ResilienceStore,
  entity: Entity,
): Promise<CodeSecurityFacts> {
  const entityRef = stringifyEntityRef(entity);
  return {
    reports: await store.listSastReports({ entityRef }),
    // The checks judge critical and high findings alone.
    openFindings: await store.listOpenSastFindings({
      entityRef,
      severities: ['critical', 'high'],
    }),
  };
}

/**
 * The code-security checks of an entity, from its SAST reports and open findings. Only the
 * branches named in `resilience.sast.defaultBranches` count: a feature branch's findings are its
 * own until merged.
 */
export function evaluateCodeSecurity(options: {
  entity: Entity;
  facts: CodeSecurityFacts;
  policies: PolicyConfig;
  defaultBranches: string[];
  now: Date;
  flips?: FlipTimes;
}): CheckResult[] {
  const { entity, facts, now } = options;
  const policy = resolveSastPolicy(entity, options.policies);
  return sastChecks({
    now,
    flips: options.flips,
    policy: policy.policy,
    untrusted: untrustedSastThresholds(policy),
    isDefaultBranch: branch => options.defaultBranches.includes(branch),
    openFindings: facts.openFindings.map(f => ({
      tool: f.toolName,
      branch: f.branch,
      ruleId: f.ruleId,
      severity: f.severity,
      path: f.path,
      startLine: f.startLine,
      firstSeenAt: f.firstSeenAt,
      suppression: f.suppression,
    })),
    scans: facts.reports.map(r => ({
      tool: r.toolName,
      category: r.category,
      branch: r.branch,
      scannedAt: r.scannedAt,
    })),
  });
}
