import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  EntityRestoreTestsResponse,
  RestoreTestState,
  RestoreTestSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { RunRestoreTestDialog } from './RunRestoreTestDialog';

const entityRef = { kind: 'Component', namespace: 'default', name: 'ledger' };

const data: EntityRestoreTestsResponse = {
  entityRef: 'component:default/ledger',
  items: [],
  candidates: [
    {
      cluster: 'prod',
      backupName: 'daily-20261123',
      startedAt: '2026-11-23T02:00:00Z',
      mark: 'known-good',
    },
    {
      cluster: 'prod',
      backupName: 'daily-20261125',
      startedAt: '2026-11-25T02:00:00Z',
      mark: 'vulnerable',
    },
    {
      cluster: 'staging',
      backupName: 'staging-20261125',
      startedAt: '2026-11-25T03:00:00Z',
    },
    {
      cluster: 'dr',
      backupName: 'dr-20261124',
      startedAt: '2026-11-24T03:00:00Z',
      mark: 'known-good',
    },
  ],
  defaultBackup: {
    cluster: 'prod',
    backupName: 'daily-20261123',
    startedAt: '2026-11-23T02:00:00Z',
    mark: 'known-good',
    reason:
      'the latest completed backup taken while no critical or high finding was open',
  },
  expectedSeconds: 190,
  rtoTargetSeconds: 3600,
  disabledClusters: ['dr'],
};

const transitions: Array<[RestoreTestState, string]> = [
  ['pending', 'Waiting for a slot in prod.'],
  ['restoring', 'Restoring daily-20261123: payments → rt-1-payments.'],
  ['verifying', 'Velero restored 12 items; waiting for 1 claim to bind.'],
  ['cleaning-up', '1 claim bound and 1 Deployment available.'],
  ['succeeded', 'Cleaned up. 1 claim bound and 1 Deployment available.'],
];

/** The test as it is once it reached the given state, on the path of a successful one. */
function testAt(
  state: RestoreTestState,
  change: Partial<RestoreTestSummary> = {},
): RestoreTestSummary {
  const reached = transitions.slice(
    0,
    transitions.findIndex(([s]) => s === state) + 1,
  );
  return {
    id: 'rt-1',
    entityRef: 'component:default/ledger',
    cluster: 'prod',
    backupName: 'daily-20261123',
    state,
    namespaceMapping: { payments: 'rt-1-payments' },
    createdBy: 'user:default/alice',
    createdAt: '2026-11-25T12:00:00Z',
    transitions: reached.map(([s, message], i) => ({
      state: s,
      at: `2026-11-25T12:0${i}:00Z`,
      message,
    })),
    ...(state === 'cleaning-up' || state === 'succeeded'
      ? { outcome: 'succeeded' as const }
      : {}),
    ...(state === 'succeeded'
      ? { finishedAt: '2026-11-25T12:04:10Z', rtoSeconds: 130 }
      : {}),
    ...change,
  };
}

async function errorOf(status: number, message: string) {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'Error', message },
        response: { statusCode: status },
      }),
      { status, headers: { 'Content-Type': 'application/json' } },
    ) as any,
  );
}

async function renderDialog(options: {
  api: Partial<ResilienceApi>;
  data?: EntityRestoreTestsResponse;
  test?: RestoreTestSummary;
  onClose?: (test?: RestoreTestSummary) => void;
  canCancel?: boolean;
}) {
  return renderInTestApp(
    <TestApiProvider apis={[[resilienceApiRef, options.api]]}>
      <RunRestoreTestDialog
        open
        entityRef={entityRef}
        data={options.data ?? data}
        test={options.test}
        onClose={options.onClose ?? jest.fn()}
        pollIntervalMs={5}
        canCancel={options.canCancel}
      />
    </TestApiProvider>,
  );
}

const dialog = () => within(screen.getByRole('dialog'));

/** The step labels, and which one is current. */
function steps() {
  const list = dialog().getByRole('list', {
    name: 'Steps of the restore test',
  });
  return within(list)
    .getAllByRole('listitem')
    .map(
      item =>
        // Without the number an unfinished step's icon shows.
        `${
          item.getAttribute('aria-current') === 'step' ? '> ' : ''
        }${item.textContent!.replace(/^\d/, '')}`,
    );
}

describe('RunRestoreTestDialog', () => {
  it('preselects the default backup, says why and how long it takes, and lists the clusters with the disabled one disabled', async () => {
    await renderDialog({ api: {} });
    expect(
      dialog().getByRole('heading', { name: 'Run restore test' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'Earlier tests took about 3 min. The recovery time objective is 1 h.',
    );
    const cluster = dialog().getByRole('combobox', { name: 'Cluster' });
    expect(cluster).toHaveValue('prod');
    expect(
      within(cluster)
        .getAllByRole('option')
        .map(o => [o.textContent, (o as HTMLOptionElement).disabled]),
    ).toEqual([
      ['staging', false],
      ['prod', false],
      ['dr (restore tests disabled)', true],
    ]);
    const backup = dialog().getByRole('combobox', { name: 'Backup' });
    expect(backup).toHaveValue('daily-20261123');
    expect(backup).toHaveAccessibleDescription(
      'Chosen by default: the latest completed backup taken while no critical or high finding was open',
    );
    // Newest first, each with its mark.
    expect(
      within(backup)
        .getAllByRole('option')
        .map(o => o.textContent),
    ).toEqual([
      'daily-20261125 (2026-11-25 02:00 UTC, Vulnerable)',
      'daily-20261123 (2026-11-23 02:00 UTC, Known-good)',
    ]);
    expect(
      dialog().getByText(
        'Known-good: no critical or high finding was open when it started.',
      ),
    ).toBeInTheDocument();
  });

  it('leaves the cluster out when every backup is in one, and closes on cancel without starting', async () => {
    const createRestoreTest = jest.fn();
    const onClose = jest.fn();
    await renderDialog({
      api: { createRestoreTest },
      data: {
        ...data,
        candidates: data.candidates.filter(c => c.cluster === 'prod'),
        expectedSeconds: undefined,
      },
      onClose,
    });
    expect(
      dialog().queryByRole('combobox', { name: 'Cluster' }),
    ).not.toBeInTheDocument();
    expect(screen.getByRole('dialog')).toHaveTextContent(
      'No earlier test succeeded, so how long one takes is not known yet.',
    );
    fireEvent.click(dialog().getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledWith(undefined);
    expect(createRestoreTest).not.toHaveBeenCalled();
  });

  it('starts the preselected backup, sending its cluster and name', async () => {
    const createRestoreTest = jest.fn().mockResolvedValue(testAt('pending'));
    await renderDialog({
      api: { createRestoreTest, getRestoreTest: () => new Promise(() => {}) },
    });
    fireEvent.click(dialog().getByRole('button', { name: 'Start' }));
    expect(createRestoreTest).toHaveBeenCalledWith({
      entityRef: 'component:default/ledger',
      cluster: 'prod',
      backupName: 'daily-20261123',
    });
    expect(
      await dialog().findByRole('heading', {
        name: 'Restore test of daily-20261123',
      }),
    ).toBeInTheDocument();
  });

  it('starts the backup chosen in another cluster, the newest known-good one there being preselected', async () => {
    const createRestoreTest = jest.fn().mockResolvedValue(testAt('pending'));
    await renderDialog({
      api: { createRestoreTest, getRestoreTest: () => new Promise(() => {}) },
    });
    fireEvent.change(dialog().getByRole('combobox', { name: 'Cluster' }), {
      target: { value: 'staging' },
    });
    const backup = dialog().getByRole('combobox', { name: 'Backup' });
    expect(backup).toHaveValue('staging-20261125');
    expect(
      dialog().getByText(
        'Security unknown: no SAST report tells how the code stood when it started.',
      ),
    ).toBeInTheDocument();
    fireEvent.click(dialog().getByRole('button', { name: 'Start' }));
    expect(createRestoreTest).toHaveBeenCalledWith({
      entityRef: 'component:default/ledger',
      cluster: 'staging',
      backupName: 'staging-20261125',
    });
    // Started: the steps replace the form.
    expect(
      await dialog().findByRole('list', { name: 'Steps of the restore test' }),
    ).toBeInTheDocument();
  });

  it('sends a backup other than the default once chosen, and warns that it is vulnerable', async () => {
    const createRestoreTest = jest.fn().mockResolvedValue(testAt('pending'));
    await renderDialog({
      api: { createRestoreTest, getRestoreTest: () => new Promise(() => {}) },
    });
    fireEvent.change(dialog().getByRole('combobox', { name: 'Backup' }), {
      target: { value: 'daily-20261125' },
    });
    expect(
      dialog().getByText(
        'Vulnerable: critical or high findings were open when it started; restoring it brings that code back.',
      ),
    ).toBeInTheDocument();
    fireEvent.click(dialog().getByRole('button', { name: 'Start' }));
    expect(createRestoreTest).toHaveBeenCalledWith({
      entityRef: 'component:default/ledger',
      cluster: 'prod',
      backupName: 'daily-20261125',
    });
    // Started: the steps replace the form.
    expect(
      await dialog().findByRole('list', { name: 'Steps of the restore test' }),
    ).toBeInTheDocument();
  });

  it('follows the test through its steps until it succeeded, then shows the RTO against the target and stops', async () => {
    const getRestoreTest = jest
      .fn()
      .mockResolvedValueOnce(testAt('restoring'))
      .mockResolvedValueOnce(testAt('verifying'))
      .mockResolvedValueOnce(testAt('cleaning-up'))
      .mockResolvedValue(testAt('succeeded'));
    const onClose = jest.fn();
    let answerStart: (() => void) | undefined;
    await renderDialog({
      api: {
        // The start answers only when the test says so, to see the first step.
        createRestoreTest: () =>
          new Promise(resolve => {
            answerStart = () => resolve(testAt('pending'));
          }),
        getRestoreTest,
      },
      onClose,
    });
    fireEvent.click(dialog().getByRole('button', { name: 'Start' }));
    expect(
      dialog().getByRole('progressbar', { name: 'Starting the restore test' }),
    ).toBeInTheDocument();
    answerStart!();

    const status = await screen.findByRole('status');
    expect(status).toHaveTextContent(
      /^Pending, \d+ (s|min|h|d).* elapsed: Waiting for a slot in prod\.$/,
    );
    expect(dialog().getByRole('button', { name: 'Cancel test' })).toBeEnabled();

    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Restore test succeeded: RTO 2 min 10 s, within the 1 h target',
      ),
    );
    expect(screen.getByRole('status')).toHaveTextContent(
      'Cleaned up. 1 claim bound and 1 Deployment available. It took 4 min 10 s, clean-up included.',
    );
    expect(steps()).toEqual([
      'Pendingafter 0 s: Waiting for a slot in prod.',
      'Restoringafter 1 min: Restoring daily-20261123: payments → rt-1-payments.',
      'Verifyingafter 2 min: Velero restored 12 items; waiting for 1 claim to bind.',
      'Cleaning upafter 3 min: 1 claim bound and 1 Deployment available.',
      '> Succeededafter 4 min: Cleaned up. 1 claim bound and 1 Deployment available.',
    ]);
    expect(
      dialog().queryByRole('button', { name: 'Cancel test' }),
    ).not.toBeInTheDocument();
    expect(getRestoreTest).toHaveBeenCalledWith('rt-1');
    const calls = getRestoreTest.mock.calls.length;
    expect(calls).toBe(4);
    await new Promise(resolve => setTimeout(resolve, 30));
    expect(getRestoreTest).toHaveBeenCalledTimes(calls);

    fireEvent.click(dialog().getByRole('button', { name: 'Close' }));
    expect(onClose).toHaveBeenCalledWith(
      expect.objectContaining({ id: 'rt-1', state: 'succeeded' }),
    );
  });

  it('shows the current step while the test runs, and no cancel once it cleans up', async () => {
    await renderDialog({
      api: { getRestoreTest: () => new Promise(() => {}) },
      test: testAt('cleaning-up'),
    });
    expect(steps()).toEqual([
      'Pendingafter 0 s: Waiting for a slot in prod.',
      'Restoringafter 1 min: Restoring daily-20261123: payments → rt-1-payments.',
      'Verifyingafter 2 min: Velero restored 12 items; waiting for 1 claim to bind.',
      '> Cleaning upafter 3 min: 1 claim bound and 1 Deployment available.',
      'Succeeded once cleaned up',
    ]);
    expect(
      dialog().queryByRole('button', { name: 'Cancel test' }),
    ).not.toBeInTheDocument();
  });

  it('shows an RTO over the target as a warning', async () => {
    await renderDialog({
      api: {},
      test: testAt('succeeded', { rtoSeconds: 3700 }),
    });
    expect(screen.getByRole('status')).toHaveTextContent(
      'Restore test succeeded: RTO 1 h 1 min, over the 1 h target',
    );
  });

  it('shows why a test failed, leaving the step it skipped unticked', async () => {
    await renderDialog({
      api: {},
      test: testAt('restoring', {
        state: 'failed',
        outcome: 'failed',
        finishedAt: '2026-11-25T12:03:00Z',
        velero: {
          phase: 'Failed',
          failureReason: 'backup storage unavailable',
        },
        transitions: [
          ...testAt('restoring').transitions,
          {
            state: 'cleaning-up',
            at: '2026-11-25T12:02:00Z',
            message: 'The Restore failed.',
          },
          {
            state: 'failed',
            at: '2026-11-25T12:03:00Z',
            message: 'Cleaned up. The Restore failed.',
          },
        ],
      }),
    });
    expect(screen.getByRole('status')).toHaveTextContent(
      'Restore test failedCleaned up. The Restore failed. Velero: backup storage unavailable.',
    );
    expect(steps()[2]).toBe('Verifying');
    expect(steps()[4]).toBe(
      '> Failedafter 3 min: Cleaned up. The Restore failed.',
    );
  });

  it('cancels the test, then follows it to its end', async () => {
    const cancelRestoreTest = jest.fn().mockResolvedValue(
      testAt('cleaning-up', {
        outcome: 'cancelled',
        transitions: [
          ...testAt('restoring').transitions,
          {
            state: 'cleaning-up',
            at: '2026-11-25T12:02:00Z',
            message: 'Cancelled by alice.',
          },
        ],
      }),
    );
    let answerPoll: ((test: RestoreTestSummary) => void) | undefined;
    const getRestoreTest = jest.fn().mockImplementation(
      () =>
        new Promise(resolve => {
          answerPoll = resolve;
        }),
    );
    await renderDialog({
      api: { cancelRestoreTest, getRestoreTest },
      test: testAt('restoring'),
    });
    fireEvent.click(dialog().getByRole('button', { name: 'Cancel test' }));
    expect(cancelRestoreTest).toHaveBeenCalledWith('rt-1');
    await waitFor(() => expect(steps()[4]).toBe('Cancelled once cleaned up'));
    expect(
      dialog().queryByRole('button', { name: 'Cancel test' }),
    ).not.toBeInTheDocument();
    await waitFor(() => expect(answerPoll).toBeDefined());
    answerPoll!(
      testAt('restoring', {
        state: 'cancelled',
        outcome: 'cancelled',
        finishedAt: '2026-11-25T12:03:00Z',
        transitions: [
          ...testAt('restoring').transitions,
          {
            state: 'cancelled',
            at: '2026-11-25T12:03:00Z',
            message: 'Cleaned up. Cancelled by alice.',
          },
        ],
      }),
    );
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Restore test cancelledCleaned up. Cancelled by alice.',
      ),
    );
  });

  it('says why a test can no longer be cancelled', async () => {
    const error = await errorOf(409, 'The restore test is already cleaning up');
    await renderDialog({
      api: {
        cancelRestoreTest: () => Promise.reject(error),
        getRestoreTest: () => new Promise(() => {}),
      },
      test: testAt('verifying'),
    });
    fireEvent.click(dialog().getByRole('button', { name: 'Cancel test' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Could not cancel: The restore test can no longer be cancelled',
    );
    expect(alert).toHaveTextContent('The restore test is already cleaning up');
  });

  it.each([
    [
      400,
      'The restore test cannot start',
      'Restore tests are disabled in cluster prod',
    ],
    [
      403,
      'Not allowed',
      'You may not run restore tests of component:default/ledger',
    ],
    [
      409,
      'The restore test cannot start now',
      'The last restore test of component:default/ledger started 5 min ago: wait 55 min',
    ],
  ])(
    'shows the backend answer %s, and goes back to the form on request',
    async (status, title, message) => {
      const getRestoreTest = jest.fn();
      const error = await errorOf(status, message);
      await renderDialog({
        api: { createRestoreTest: () => Promise.reject(error), getRestoreTest },
      });
      fireEvent.click(dialog().getByRole('button', { name: 'Start' }));
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent(title);
      expect(alert).toHaveTextContent(message);
      expect(getRestoreTest).not.toHaveBeenCalled();
      fireEvent.click(dialog().getByRole('button', { name: 'Back' }));
      expect(dialog().getByRole('combobox', { name: 'Backup' })).toHaveValue(
        'daily-20261123',
      );
    },
  );

  it('says when the test cannot be followed, and looks again on request', async () => {
    const getRestoreTest = jest
      .fn()
      .mockRejectedValueOnce(new TypeError('Failed to fetch'))
      .mockResolvedValue(testAt('succeeded'));
    await renderDialog({ api: { getRestoreTest }, test: testAt('verifying') });
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Could not follow the restore test: The request failed',
    );
    expect(alert).toHaveTextContent('Failed to fetch');
    fireEvent.click(dialog().getByRole('button', { name: 'Check again' }));
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Restore test succeeded',
      ),
    );
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('stops following the test once closed', async () => {
    const getRestoreTest = jest.fn().mockResolvedValue(testAt('restoring'));
    const { unmount } = await renderDialog({
      api: { getRestoreTest },
      test: testAt('restoring'),
    });
    await waitFor(() =>
      expect(getRestoreTest.mock.calls.length).toBeGreaterThan(1),
    );
    unmount();
    const calls = getRestoreTest.mock.calls.length;
    await new Promise(resolve => setTimeout(resolve, 30));
    expect(getRestoreTest.mock.calls.length).toBe(calls);
  });
  it('only follows a running test, without Cancel test, for a user who may not cancel it', async () => {
    await renderDialog({
      api: { getRestoreTest: jest.fn().mockResolvedValue(testAt('restoring')) },
      test: testAt('restoring'),
      canCancel: false,
    });
    await screen.findByRole('status');
    expect(
      dialog().queryByRole('button', { name: 'Cancel test' }),
    ).not.toBeInTheDocument();
    expect(dialog().getByRole('button', { name: 'Close' })).toBeEnabled();
  });
});
