import { FlipTimes } from '../scoring/flips';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CheckResult } from '@resilience-for-backstage/plugin-resilience-common';
import { ResilienceStore } from '../database/ResilienceStore';
import { PolicyConfig, resolveRecoveryPolicy } from '../scoring/policy';
import { recoveryChecks } from '../scoring/recoveryChecks';

/** How many of an entity's latest restore tests the recovery checks read. */
const TESTS_READ = 50;

/** The recovery checks of an entity, from its stored restore tests. */
export async function entityRecovery(options: {
  entity: Entity;
  store: ResilienceStore;
  policies: PolicyConfig;
  /** How many claims the entity has. */
  claims: number;
  /** The clusters whose claims were never listed (see `recoveryChecks`). */
  claimsUnlistedIn: string[];
  now: Date;
  flips?: FlipTimes;
}): Promise<CheckResult[]> {
  const { entity, store, now } = options;
  const resolved = resolveRecoveryPolicy(entity, options.policies);
  const why = resolved.problems.join('; ');
  const tests = await store.listRestoreTests({
    entityRef: stringifyEntityRef(entity),
    limit: TESTS_READ,
  });
  return recoveryChecks({
    now,
    flips: options.flips,
    claims: options.claims,
    claimsUnlistedIn: options.claimsUnlistedIn,
    policy: resolved.policy,
    untrusted: {
      rto: resolved.rtoKnown ? undefined : why,
      maxTestAge: resolved.maxTestAgeKnown ? undefined : why,
    },
    tests: tests.flatMap(t =>
      t.finishedAt && t.outcome
        ? [
            {
              id: t.id,
              cluster: t.cluster,
              backupName: t.backupName,
              outcome: t.outcome,
              finishedAt: t.finishedAt,
              rtoSeconds: t.rtoSeconds,
            },
          ]
        : [],
    ),
  });
}
