import { FlipTimes } from '../scoring/flips';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CheckResult } from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceStore } from '../database/ResilienceStore';
import {
  PolicyConfig,
  resolveSastPolicy,
  untrustedSastThresholds,
} from '../scoring/policy';
import { sastChecks } from '../scoring/sastChecks';

/**
 * The code-security checks of an entity, from its stored SAST reports and open findings. Only
 * the branches named in `resilience.sast.defaultBranches` count: a feature branch's findings are
 * its own until merged.
 */
export async function entityCodeSecurity(options: {
  entity: Entity;
  store: ResilienceStore;
  policies: PolicyConfig;
  defaultBranches: string[];
  now: Date;
  flips?: FlipTimes;
}): Promise<CheckResult[]> {
  const { entity, store, now } = options;
  const entityRef = stringifyEntityRef(entity);
  const policy = resolveSastPolicy(entity, options.policies);
  const reports = await store.listSastReports({ entityRef });
  // The checks judge critical and high findings alone.
  const findings = await store.listOpenSastFindings({
    entityRef,
    severities: ['critical', 'high'],
  });
  return sastChecks({
    now,
    flips: options.flips,
    policy: policy.policy,
    untrusted: untrustedSastThresholds(policy),
    isDefaultBranch: branch => options.defaultBranches.includes(branch),
    openFindings: findings.map(f => ({
      tool: f.toolName,
      branch: f.branch,
      ruleId: f.ruleId,
      severity: f.severity,
      path: f.path,
      startLine: f.startLine,
      firstSeenAt: f.firstSeenAt,
      suppression: f.suppression,
    })),
    scans: reports.map(r => ({
      tool: r.toolName,
      category: r.category,
      branch: r.branch,
      scannedAt: r.scannedAt,
    })),
  });
}
