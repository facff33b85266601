import { RestoreTestVerification } from '@resilience-for-backstage/plugin-resilience-common';
import {
  nextRestoreTestStep,
  RestoreTestObservation,
  RestoreTestProgress,
  stepOnActionError,
  unready,
} from './stateMachine';

const now = new Date('2026-12-02T12:00:00Z');
const minutesAgo = (m: number) => new Date(now.getTime() - m * 60_000);
const TIMEOUT = 15 * 60_000;

const test = (
  overrides: Partial<RestoreTestProgress> = {},
): RestoreTestProgress => ({
  state: 'pending',
  cancelRequested: false,
  backupName: 'daily-20261202',
  namespaceMapping: { payments: 'restore-test-1a2b3c4d' },
  ...overrides,
});

const step = (
  progress: RestoreTestProgress,
  observation: RestoreTestObservation,
) =>
  nextRestoreTestStep({ test: progress, observation, now, timeoutMs: TIMEOUT });

const CLEAN_UP = [
  { type: 'delete-restore' },
  { type: 'delete-namespaces', namespaces: ['restore-test-1a2b3c4d'] },
];

const verified: RestoreTestVerification = {
  pvcs: [
    {
      namespace: 'restore-test-1a2b3c4d',
      name: 'data-ledger-0',
      phase: 'Bound',
    },
  ],
  workloads: [
    {
      kind: 'StatefulSet',
      namespace: 'restore-test-1a2b3c4d',
      name: 'ledger',
      replicas: 1,
      available: 1,
    },
  ],
};

describe('nextRestoreTestStep', () => {
  describe('pending', () => {
    it('creates the test namespaces, then the Restore', () => {
      expect(
        step(test(), { state: 'pending', existingNamespaces: [] }),
      ).toEqual({
        state: 'restoring',
        message:
          'Restoring daily-20261202: payments into restore-test-1a2b3c4d.',
        actions: [
          { type: 'create-namespaces', namespaces: ['restore-test-1a2b3c4d'] },
          { type: 'create-restore' },
        ],
      });
    });

    it.each<[string, Partial<RestoreTestProgress>, string[], RegExp]>([
      [
        'a test namespace exists',
        {},
        ['restore-test-1a2b3c4d'],
        /restore-test-1a2b3c4d exists already.*never restores into an existing namespace; nothing was created/,
      ],
      [
        'a test namespace is a source namespace',
        { namespaceMapping: { payments: 'payments' } },
        [],
        /never restores onto a source namespace \(payments\); nothing was created/,
      ],
      [
        'there is nothing to restore',
        { namespaceMapping: {} },
        [],
        /includes none of the entity’s namespaces/,
      ],
    ])(
      'fails without creating anything when %s',
      (_, overrides, existing, message) => {
        const next = step(test(overrides), {
          state: 'pending',
          existingNamespaces: existing,
        });
        expect(next).toMatchObject({
          state: 'failed',
          outcome: 'failed',
          actions: [],
        });
        expect(next.message).toMatch(message);
      },
    );

    it('is cancelled at once, with nothing to clean up', () => {
      expect(
        step(test({ cancelRequested: true }), {
          state: 'pending',
          existingNamespaces: [],
        }),
      ).toEqual({
        state: 'cancelled',
        outcome: 'cancelled',
        message: 'Cancelled before anything was created.',
        actions: [],
      });
    });
  });

  describe('restoring', () => {
    const restoring = test({
      state: 'restoring',
      restoreCreatedAt: minutesAgo(2),
    });

    it.each(['New', 'InProgress', undefined])(
      'waits while the Restore is %s',
      phase => {
        expect(
          step(restoring, { state: 'restoring', restore: { phase } }),
        ).toEqual({ state: 'restoring', actions: [] });
      },
    );

    it('verifies once the Restore is Completed', () => {
      expect(
        step(restoring, {
          state: 'restoring',
          restore: { phase: 'Completed', itemsRestored: 12, warnings: 1 },
        }),
      ).toEqual({
        state: 'verifying',
        message: 'Velero restored 12 item(s) with 1 warning(s); verifying.',
        actions: [],
        velero: { phase: 'Completed', warnings: 1 },
      });
    });

    it.each<[string, object, RegExp]>([
      [
        'PartiallyFailed',
        { phase: 'PartiallyFailed', errors: 2, warnings: 3 },
        /ended PartiallyFailed: 2 error\(s\), 3 warning\(s\)\.$/,
      ],
      [
        'Failed',
        { phase: 'Failed', failureReason: 'backup storage unavailable' },
        /ended Failed: 0 error\(s\), 0 warning\(s\), failure reason: backup storage unavailable/,
      ],
      [
        'FailedValidation',
        {
          phase: 'FailedValidation',
          validationErrors: ['backup not found'],
        },
        /validation errors: backup not found/,
      ],
    ])('fails and cleans up when the Restore is %s', (_, restore, message) => {
      const next = step(restoring, { state: 'restoring', restore });
      expect(next).toMatchObject({
        state: 'cleaning-up',
        outcome: 'failed',
        actions: CLEAN_UP,
      });
      expect(next.message).toMatch(message);
      expect(next.velero?.phase).toBe((restore as { phase: string }).phase);
    });

    it('fails and cleans up when the Restore takes longer than the timeout', () => {
      const next = step(
        { ...restoring, restoreCreatedAt: minutesAgo(16) },
        { state: 'restoring', restore: { phase: 'InProgress' } },
      );
      expect(next).toMatchObject({
        state: 'cleaning-up',
        outcome: 'failed',
        message:
          "Velero's restore did not finish within 15 min (still InProgress).",
        actions: CLEAN_UP,
      });
    });

    it('fails and cleans up when the Restore is gone', () => {
      expect(step(restoring, { state: 'restoring' })).toMatchObject({
        state: 'cleaning-up',
        outcome: 'failed',
        actions: CLEAN_UP,
      });
    });

    it('cleans up when cancelled', () => {
      expect(
        step(
          { ...restoring, cancelRequested: true },
          { state: 'restoring', restore: { phase: 'InProgress' } },
        ),
      ).toMatchObject({
        state: 'cleaning-up',
        outcome: 'cancelled',
        actions: CLEAN_UP,
      });
    });
  });

  describe('verifying', () => {
    const verifying = test({
      state: 'verifying',
      restoreCreatedAt: minutesAgo(4),
    });

    it('succeeds when every claim is Bound and every workload available, measuring the RTO', () => {
      expect(
        step(verifying, { state: 'verifying', verification: verified }),
      ).toEqual({
        state: 'cleaning-up',
        outcome: 'succeeded',
        message:
          'Verified: 1 claim(s) Bound and 1 workload(s) available; RTO 4 min.',
        actions: CLEAN_UP,
        verification: verified,
        rtoSeconds: 240,
      });
    });

    it('waits while something is not ready', () => {
      const pending = {
        ...verified,
        pvcs: [{ ...verified.pvcs[0], phase: 'Pending' }],
      };
      expect(
        step(verifying, { state: 'verifying', verification: pending }),
      ).toEqual({ state: 'verifying', actions: [], verification: pending });
    });

    it('fails, saying what is not ready, after the timeout', () => {
      const next = step(
        { ...verifying, restoreCreatedAt: minutesAgo(20) },
        {
          state: 'verifying',
          verification: {
            ...verified,
            workloads: [{ ...verified.workloads[0], available: 0 }],
          },
        },
      );
      expect(next).toMatchObject({
        state: 'cleaning-up',
        outcome: 'failed',
        message:
          'Not ready within 15 min: StatefulSet restore-test-1a2b3c4d/ledger has 0 of 1 replicas available.',
        actions: CLEAN_UP,
      });
    });

    it('cleans up when cancelled', () => {
      expect(
        step(
          { ...verifying, cancelRequested: true },
          { state: 'verifying', verification: verified },
        ),
      ).toMatchObject({ state: 'cleaning-up', outcome: 'cancelled' });
    });
  });

  describe('cleaning-up', () => {
    const cleaning = test({
      state: 'cleaning-up',
      outcome: 'succeeded',
      outcomeMessage: 'Verified: 1 claim(s) Bound.',
    });

    it.each<[boolean, string[], object[]]>([
      [true, ['restore-test-1a2b3c4d'], CLEAN_UP],
      [false, ['restore-test-1a2b3c4d'], [CLEAN_UP[1]]],
      [true, [], [CLEAN_UP[0]]],
    ])(
      'deletes what is left (Restore there: %s, namespaces %j) and waits',
      (restoreExists, namespacesLeft, actions) => {
        expect(
          step(cleaning, {
            state: 'cleaning-up',
            restoreExists,
            namespacesLeft,
          }),
        ).toEqual({ state: 'cleaning-up', actions });
      },
    );

    it.each(['succeeded', 'failed', 'cancelled'] as const)(
      'ends %s once nothing is left',
      outcome => {
        expect(
          step(
            { ...cleaning, outcome },
            { state: 'cleaning-up', restoreExists: false, namespacesLeft: [] },
          ),
        ).toEqual({
          state: outcome,
          outcome,
          message: 'Cleaned up. Verified: 1 claim(s) Bound.',
          actions: [],
        });
      },
    );

    it('ignores a cancel: the outcome is known and clean-up goes on', () => {
      expect(
        step(
          { ...cleaning, cancelRequested: true },
          { state: 'cleaning-up', restoreExists: false, namespacesLeft: [] },
        ),
      ).toMatchObject({ state: 'succeeded' });
    });
  });

  it('refuses an observation of another state', () => {
    expect(() =>
      step(test({ state: 'verifying' }), {
        state: 'pending',
        existingNamespaces: [],
      }),
    ).toThrow(
      'An observation of pending cannot advance a test that is verifying',
    );
  });

  it.each(['succeeded', 'failed', 'cancelled'] as const)(
    'has no step after %s',
    state => {
      expect(() =>
        nextRestoreTestStep({
          test: test({ state }),
          observation: { state } as unknown as RestoreTestObservation,
          now,
          timeoutMs: TIMEOUT,
        }),
      ).toThrow(`A test that is ${state} has no next step`);
    },
  );
});

describe('unready', () => {
  it('says that a restore of no claim proves nothing', () => {
    expect(unready({ pvcs: [], workloads: [] })).toEqual([
      'no PersistentVolumeClaim was restored',
    ]);
  });
});

describe('stepOnActionError', () => {
  it('cleans up (only what carries the test id) when creating fails', () => {
    expect(
      stepOnActionError({
        test: test(),
        action: { type: 'create-restore' },
        error: 'forbidden',
      }),
    ).toEqual({
      state: 'cleaning-up',
      outcome: 'failed',
      message: 'Could not create restore: forbidden',
      actions: CLEAN_UP,
    });
  });

  it('never gives clean-up up', () => {
    expect(
      stepOnActionError({
        test: test({ state: 'cleaning-up', outcome: 'succeeded' }),
        action: { type: 'delete-namespaces', namespaces: ['x'] },
        error: 'timeout',
      }),
    ).toEqual({
      state: 'cleaning-up',
      message: 'Could not delete namespaces: timeout',
      actions: [],
    });
  });
});
