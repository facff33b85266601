import {
  RestoreTestOutcome,
  RestoreTestState,
  RestoreTestVeleroOutcome,
  RestoreTestVerification,
} from '@resilience-for-backstage/plugin-resilience-common';
import { formatDuration } from '../scoring/durations';

/** What the state machine reads of a stored restore test. */
export interface RestoreTestProgress {
  state: RestoreTestState;
  /** Decided on the way into `cleaning-up`. */
  outcome?: RestoreTestOutcome;
  /** Why the outcome is what it is; said again when the test ends. */
  outcomeMessage?: string;
  /** Somebody asked to cancel it. */
  cancelRequested: boolean;
  backupName: string;
  /** Source namespace to test namespace. */
  namespaceMapping: Record<string, string>;
  /** When the Velero Restore was created: the start of the RTO and of the timeout. */
  restoreCreatedAt?: Date;
}

/** What the orchestrator found in the cluster for the test's current state. */
export type RestoreTestObservation =
  | {
      state: 'pending';
      /** Test namespaces that exist already. */
      existingNamespaces: string[];
    }
  | {
      state: 'restoring';
      /** The Velero Restore; absent when it does not exist (any more). */
      restore?: VeleroRestoreStatus;
    }
  | { state: 'verifying'; verification: RestoreTestVerification }
  | {
      state: 'cleaning-up';
      restoreExists: boolean;
      /** Test namespaces still there with the test's id label, terminating ones included. */
      namespacesLeft: string[];
    };

/** What the state machine reads of a Velero Restore. */
export interface VeleroRestoreStatus {
  phase?: string;
  warnings?: number;
  errors?: number;
  failureReason?: string;
  validationErrors?: string[];
  itemsRestored?: number;
}

/**
 * What the orchestrator is to do in the cluster, in order. Namespaces are deleted only when they
 * carry the test's id label: a namespace the test did not create is never deleted, whatever
 * happened before.
 */
export type RestoreTestAction =
  | { type: 'create-namespaces'; namespaces: string[] }
  | { type: 'create-restore' }
  | { type: 'delete-restore' }
  | { type: 'delete-namespaces'; namespaces: string[] };

/** The outcome of one step: the state to store, and what to do first. */
export interface RestoreTestStep {
  /** The next state; the same as the current one while waiting. */
  state: RestoreTestState;
  /** Set on the way into `cleaning-up` (and kept until the end). */
  outcome?: RestoreTestOutcome;
  /** Why: stored with the transition, when the state changes. */
  message?: string;
  actions: RestoreTestAction[];
  rtoSeconds?: number;
  velero?: RestoreTestVeleroOutcome;
  verification?: RestoreTestVerification;
}

const FAILED_PHASES = new Set([
  'PartiallyFailed',
  'Failed',
  'FailedValidation',
]);

const list = (items: string[]) => items.join(', ');

/** Clean-up after the outcome is known: the Restore and the test namespaces go, always. */
function cleanUp(
  test: RestoreTestProgress,
  outcome: RestoreTestOutcome,
  message: string,
  extra: Partial<RestoreTestStep> = {},
): RestoreTestStep {
  return {
    ...extra,
    state: 'cleaning-up',
    outcome,
    message,
    actions: [
      { type: 'delete-restore' },
      {
        type: 'delete-namespaces',
        namespaces: Object.values(test.namespaceMapping),
      },
    ],
  };
}

const wait = (test: RestoreTestProgress): RestoreTestStep => ({
  state: test.state,
  actions: [],
});

/** Whether the time allowed from the Restore's creation is up. */
function timedOut(test: RestoreTestProgress, now: Date, timeoutMs: number) {
  return (
    test.restoreCreatedAt !== undefined &&
    now.getTime() - test.restoreCreatedAt.getTime() > timeoutMs
  );
}

function veleroCounts(restore: VeleroRestoreStatus): string {
  const parts = [
    `${restore.errors ?? 0} error(s)`,
    `${restore.warnings ?? 0} warning(s)`,
  ];
  if (restore.failureReason)
    parts.push(`failure reason: ${restore.failureReason}`);
  if (restore.validationErrors?.length) {
    parts.push(`validation errors: ${restore.validationErrors.join('; ')}`);
  }
  return parts.join(', ');
}

/** What is not ready yet among the restored objects; empty when all are. */
export function unready(verification: RestoreTestVerification): string[] {
  const problems = verification.pvcs
    .filter(p => p.phase !== 'Bound')
    .map(p => `PersistentVolumeClaim ${p.namespace}/${p.name} is ${p.phase}`);
  for (const w of verification.workloads) {
    if (w.available < w.replicas) {
      problems.push(
        `${w.kind} ${w.namespace}/${w.name} has ${w.available} of ${w.replicas} replicas available`,
      );
    }
  }
  if (verification.pvcs.length === 0) {
    problems.push('no PersistentVolumeClaim was restored');
  }
  return problems;
}

/**
 * The next step of a restore test from what was found in the cluster: pure, so that every path
 * (success, Velero's failures, timeouts, cancellation, a namespace that exists) is tested
 * without a cluster, and so that a replica that takes over a test after a crash decides from the
 * stored state and the cluster alone.
 *
 * Safety: nothing is created while the test namespaces exist or would be a source namespace;
 * once anything may have been created, the test ends only through `cleaning-up`, which deletes
 * the Restore and the test namespaces and waits until both are gone.
 */
export function nextRestoreTestStep(options: {
  test: RestoreTestProgress;
  observation: RestoreTestObservation;
  now: Date;
  /** How long the restore and its verification may take together. */
  timeoutMs: number;
}): RestoreTestStep {
  const { test, observation, now, timeoutMs } = options;
  if (observation.state !== test.state) {
    throw new Error(
      `An observation of ${observation.state} cannot advance a test that is ${test.state}`,
    );
  }
  const targets = Object.values(test.namespaceMapping);
  switch (observation.state) {
    case 'pending': {
      if (test.cancelRequested) {
        return {
          state: 'cancelled',
          outcome: 'cancelled',
          message: 'Cancelled before anything was created.',
          actions: [],
        };
      }
      const sources = Object.keys(test.namespaceMapping);
      const ontoSource = targets.filter(t => sources.includes(t));
      if (ontoSource.length > 0 || targets.length === 0) {
        return {
          state: 'failed',
          outcome: 'failed',
          message:
            targets.length === 0
              ? 'The backup includes none of the entity’s namespaces: there is nothing to restore.'
              : `A restore test never restores onto a source namespace (${list(
                  ontoSource,
                )}); nothing was created.`,
          actions: [],
        };
      }
      if (observation.existingNamespaces.length > 0) {
        return {
          state: 'failed',
          outcome: 'failed',
          message: `The test namespace ${list(
            observation.existingNamespaces,
          )} exists already, and a restore test never restores into an existing namespace; nothing was created.`,
          actions: [],
        };
      }
      return {
        state: 'restoring',
        message: `Restoring ${test.backupName}: ${Object.entries(
          test.namespaceMapping,
        )
          .map(([source, target]) => `${source} into ${target}`)
          .join(', ')}.`,
        actions: [
          { type: 'create-namespaces', namespaces: targets },
          { type: 'create-restore' },
        ],
      };
    }
    case 'restoring': {
      if (test.cancelRequested) {
        return cleanUp(
          test,
          'cancelled',
          'Cancelled while Velero was restoring.',
        );
      }
      const restore = observation.restore;
      if (!restore) {
        return cleanUp(
          test,
          'failed',
          'The Velero Restore does not exist (any more): somebody or something deleted it.',
        );
      }
      const velero = {
        phase: restore.phase ?? 'New',
        warnings: restore.warnings,
        errors: restore.errors,
        failureReason: restore.failureReason,
      };
      if (restore.phase === 'Completed') {
        return {
          state: 'verifying',
          message: `Velero restored ${
            restore.itemsRestored ?? 'the'
          } item(s) with ${restore.warnings ?? 0} warning(s); verifying.`,
          actions: [],
          velero,
        };
      }
      if (restore.phase && FAILED_PHASES.has(restore.phase)) {
        return cleanUp(
          test,
          'failed',
          `Velero's restore ended ${restore.phase}: ${veleroCounts(restore)}.`,
          { velero },
        );
      }
      if (timedOut(test, now, timeoutMs)) {
        return cleanUp(
          test,
          'failed',
          `Velero's restore did not finish within ${formatDuration(
            timeoutMs,
          )} (still ${velero.phase}).`,
          { velero },
        );
      }
      return wait(test);
    }
    case 'verifying': {
      const { verification } = observation;
      if (test.cancelRequested) {
        return cleanUp(test, 'cancelled', 'Cancelled while verifying.', {
          verification,
        });
      }
      const problems = unready(verification);
      if (problems.length === 0) {
        const rtoMs = test.restoreCreatedAt
          ? now.getTime() - test.restoreCreatedAt.getTime()
          : undefined;
        return cleanUp(
          test,
          'succeeded',
          `Verified: ${verification.pvcs.length} claim(s) Bound and ${
            verification.workloads.length
          } workload(s) available${
            rtoMs === undefined ? '' : `; RTO ${formatDuration(rtoMs)}`
          }.`,
          {
            verification,
            rtoSeconds:
              rtoMs === undefined ? undefined : Math.round(rtoMs / 1000),
          },
        );
      }
      if (timedOut(test, now, timeoutMs)) {
        return cleanUp(
          test,
          'failed',
          `Not ready within ${formatDuration(timeoutMs)}: ${problems.join(
            '; ',
          )}.`,
          { verification },
        );
      }
      return { ...wait(test), verification };
    }
    case 'cleaning-up': {
      const { restoreExists, namespacesLeft } = observation;
      if (!restoreExists && namespacesLeft.length === 0) {
        const outcome = test.outcome ?? 'failed';
        return {
          state: outcome,
          outcome,
          message: `Cleaned up. ${test.outcomeMessage ?? ''}`.trim(),
          actions: [],
        };
      }
      return {
        state: 'cleaning-up',
        actions: [
          ...(restoreExists ? [{ type: 'delete-restore' as const }] : []),
          ...(namespacesLeft.length > 0
            ? [
                {
                  type: 'delete-namespaces' as const,
                  namespaces: namespacesLeft,
                },
              ]
            : []),
        ],
      };
    }
    default:
      throw new Error(`A test that is ${test.state} has no next step`);
  }
}

/**
 * When an action fails (the API server refused a create, say): a test that may have created
 * something goes to clean-up with the reason; one still pending ends as failed.
 */
export function stepOnActionError(options: {
  test: RestoreTestProgress;
  action: RestoreTestAction;
  error: string;
}): RestoreTestStep {
  const { test, action, error } = options;
  const message = `Could not ${action.type.replace('-', ' ')}: ${error}`;
  if (action.type === 'delete-restore' || action.type === 'delete-namespaces') {
    // Clean-up is retried at the next step; it is never given up.
    return { state: 'cleaning-up', message, actions: [] };
  }
  return cleanUp(test, 'failed', message);
}
