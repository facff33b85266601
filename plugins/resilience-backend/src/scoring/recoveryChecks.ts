import {
  CheckEvidence,
  CheckResult,
  RecoveryCheckId,
} from '@resilience-for-backstage/plugin-resilience-common';
import { withUnlistedClaims } from './backupChecks';
import { FlipTimes } from './flips';
import { formatDuration } from './durations';
import { RecoveryTier } from './policy';

/** A finished restore test of the entity, as the checks need it. */
export interface RestoreTestFacts {
  id: string;
  cluster: string;
  backupName: string;
  outcome: 'succeeded' | 'failed' | 'cancelled';
  finishedAt: Date;
  rtoSeconds?: number;
}

const TITLES: Record<RecoveryCheckId, string> = {
  'recovery.restore-test-age': 'Restore proven recently',
  'recovery.rto': 'Restore within the RTO',
};

const seconds = (ms: number) => Math.round(ms / 1000);

/** A restore test as evidence: the backup it restored, in its cluster. */
function evidence(test: RestoreTestFacts, note: string): CheckEvidence {
  return {
    kind: 'restore-test',
    cluster: test.cluster,
    namespace: '',
    name: test.backupName,
    note: `restore test ${test.id}: ${note}`,
  };
}

/** Everything the recovery checks of one entity read; no I/O happens inside them. */
export interface RecoveryCheckInput {
  now: Date;
  /** Told when a verdict would change as the clock moves on. */
  flips?: FlipTimes;
  policy: RecoveryTier;
  /** Why a threshold cannot be trusted, by threshold; absent when it can. */
  untrusted?: { rto?: string; maxTestAge?: string };
  /** The entity's finished tests, any order. */
  tests: RestoreTestFacts[];
  /** How many persistent volume claims the entity has: without any, there is nothing to restore. */
  claims: number;
  /**
   * The clusters whose claims were never listed although the entity maps to Kubernetes objects
   * (see `BackupCheckInput`): what passes or does not apply is then unknown.
   */
  claimsUnlistedIn?: string[];
}

/**
 * The recovery checks of one entity, in `RECOVERY_CHECK_IDS` order: "an untested backup is no
 * backup", so no successful test is a failure, not an unknown; the RTO is judged on the latest
 * successful test, against the objective when there is one.
 */
export function recoveryChecks(input: RecoveryCheckInput): CheckResult[] {
  const unlisted = input.claimsUnlistedIn ?? [];
  return recoveryOutcomes(input).map(r => withUnlistedClaims(r, unlisted));
}

function recoveryOutcomes(input: RecoveryCheckInput): CheckResult[] {
  const { now, policy } = input;
  const untrusted = input.untrusted ?? {};
  const result = (
    id: RecoveryCheckId,
    rest: Omit<CheckResult, 'id' | 'title' | 'evidence'> & {
      evidence?: CheckEvidence[];
    },
  ): CheckResult => ({ id, title: TITLES[id], evidence: [], ...rest });

  if (input.claims === 0) {
    const message =
      'The entity has no persistent volume claim, so there is no data to restore.';
    return [
      result('recovery.restore-test-age', { state: 'not-applicable', message }),
      result('recovery.rto', { state: 'not-applicable', message }),
    ];
  }

  const succeeded = input.tests
    .filter(t => t.outcome === 'succeeded')
    .sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime());
  const latest = succeeded[0];
  const lastFailed = input.tests
    .filter(t => t.outcome === 'failed')
    .sort((a, b) => b.finishedAt.getTime() - a.finishedAt.getTime())[0];
  const maxAge = formatDuration(policy.maxTestAgeMs);

  let age: CheckResult;
  if (!latest) {
    age = result('recovery.restore-test-age', {
      state: 'fail',
      message: lastFailed
        ? `No restore test has succeeded; the latest failed ${formatDuration(
            now.getTime() - lastFailed.finishedAt.getTime(),
          )} ago. Run one from this tab once it is fixed.`
        : 'No restore test has been run: run one from this tab to prove that a backup restores.',
      evidence: lastFailed ? [evidence(lastFailed, 'failed')] : [],
    });
  } else if (untrusted.maxTestAge) {
    age = result('recovery.restore-test-age', {
      state: 'unknown',
      message: `A restore test succeeded, but there is no age to hold it to: ${untrusted.maxTestAge}.`,
    });
  } else {
    const ms = now.getTime() - latest.finishedAt.getTime();
    const stale = ms > policy.maxTestAgeMs;
    input.flips?.whenAgeExceeds(latest.finishedAt, policy.maxTestAgeMs);
    age = result('recovery.restore-test-age', {
      state: stale ? 'fail' : 'pass',
      value: seconds(ms),
      threshold: seconds(policy.maxTestAgeMs),
      unit: 'seconds',
      bound: 'at-most',
      message: stale
        ? `The latest successful restore test was ${formatDuration(
            ms,
          )} ago, longer than ${maxAge}.`
        : `A restore test succeeded ${formatDuration(
            ms,
          )} ago, within ${maxAge}.`,
      evidence: [evidence(latest, `succeeded ${formatDuration(ms)} ago`)],
    });
  }

  let rto: CheckResult;
  if (untrusted.rto) {
    rto = result('recovery.rto', {
      state: 'unknown',
      message: `There is no RTO to hold restores to: ${untrusted.rto}.`,
    });
  } else if (policy.rtoMs === undefined) {
    rto = result('recovery.rto', {
      state: 'not-applicable',
      message:
        'The entity has no recovery time objective (resilience.io/rto, or its tier’s recovery.rto).',
    });
  } else if (!latest || latest.rtoSeconds === undefined) {
    rto = result('recovery.rto', {
      state: 'unknown',
      message: `No successful restore test has measured how long a restore takes (the objective is ${formatDuration(
        policy.rtoMs,
      )}).`,
    });
  } else {
    const within = latest.rtoSeconds * 1000 <= policy.rtoMs;
    rto = result('recovery.rto', {
      state: within ? 'pass' : 'fail',
      value: latest.rtoSeconds,
      threshold: seconds(policy.rtoMs),
      unit: 'seconds',
      bound: 'at-most',
      message: `The latest successful restore took ${formatDuration(
        latest.rtoSeconds * 1000,
      )}, ${within ? 'within' : 'longer than'} the RTO of ${formatDuration(
        policy.rtoMs,
      )}.`,
      evidence: [
        evidence(latest, `RTO ${formatDuration(latest.rtoSeconds * 1000)}`),
      ],
    });
  }
  return [age, rto];
}
