import { FlipTimes } from '../scoring/flips';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CheckResult } from '@resilience-for-backstage/plugin-resilience-common';
import {
  ResilienceStore,
  StoredRestoreTest,
} from '../database/ResilienceStore';
import { PolicyConfig, resolveRecoveryPolicy } from '../scoring/policy';
import { recoveryChecks } from '../scoring/recoveryChecks';

/** How many of an entity's latest restore tests the recovery checks read. */
const TESTS_READ = 50;

/** The restore tests an entity's recovery checks read: its latest ones. */
export function loadRestoreTests(
  store: ResilienceStore,
  entity: Entity,
): Promise<StoredRestoreTest[]> {
  return store.listRestoreTests({
    entityRef: stringifyEntityRef(entity),
    limit: TESTS_READ,
  });
}

/** The recovery checks of an entity, from its latest restore tests. */
export function evaluateRecovery(options: {
  entity: Entity;
  tests: StoredRestoreTest[];
  policies: PolicyConfig;
  /** How many claims the entity has. */
  claims: number;
  /** The clusters whose claims were never listed (see `recoveryChecks`). */
  claimsUnlistedIn: string[];
  now: Date;
  flips?: FlipTimes;
}): CheckResult[] {
  const { entity, now } = options;
  const resolved = resolveRecoveryPolicy(entity, options.policies);
  const why = resolved.problems.join('; ');
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
    tests: options.tests.flatMap(t =>
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
