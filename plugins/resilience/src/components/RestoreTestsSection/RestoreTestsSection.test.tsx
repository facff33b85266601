import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { ResponseError } from '@backstage/errors';
import {
  CheckResult,
  EntityRestoreTestsResponse,
  RestoreTestSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { SWRConfig } from 'swr';
import { ResilienceApi, resilienceApiRef } from '../../api';
import { RestoreTestsSection } from './RestoreTestsSection';

const entityRef = { kind: 'Component', namespace: 'default', name: 'ledger' };

const recoveryChecks: CheckResult[] = [
  {
    id: 'recovery.restore-test-age',
    title: 'Restore tested recently',
    state: 'pass',
    value: 2 * 86400,
    threshold: 30 * 86400,
    unit: 'seconds',
    bound: 'at-most',
    message: 'The latest successful restore test is 2 days old.',
    evidence: [],
  },
  {
    id: 'recovery.rto',
    title: 'Recovery within the RTO',
    state: 'pass',
    message: 'The latest test restored in 2 min 10 s, within 1 h.',
    evidence: [],
  },
];

function test(
  id: string,
  change: Partial<RestoreTestSummary>,
): RestoreTestSummary {
  return {
    id,
    entityRef: 'component:default/ledger',
    cluster: 'prod',
    backupName: 'daily-20261123',
    state: 'succeeded',
    outcome: 'succeeded',
    namespaceMapping: {},
    createdBy: 'user:default/alice',
    createdAt: '2026-11-24T10:00:00Z',
    finishedAt: '2026-11-24T10:04:10Z',
    rtoSeconds: 130,
    transitions: [
      {
        state: 'succeeded',
        at: '2026-11-24T10:04:10Z',
        message: 'Cleaned up. 1 claim bound and 1 Deployment available.',
      },
    ],
    ...change,
  };
}

const data: EntityRestoreTestsResponse = {
  entityRef: 'component:default/ledger',
  items: [
    test('rt-3', {
      backupName: 'daily-20261125',
      createdBy: 'user:default/bob',
      createdAt: '2026-11-25T09:00:00Z',
      state: 'failed',
      outcome: 'failed',
      finishedAt: '2026-11-25T09:02:00Z',
      rtoSeconds: undefined,
      velero: { phase: 'Failed', failureReason: 'bucket unavailable' },
      transitions: [
        {
          state: 'failed',
          at: '2026-11-25T09:02:00Z',
          message: 'Cleaned up. The Restore failed.',
        },
      ],
    }),
    test('rt-2', { rtoSeconds: 3700 }),
    test('rt-1', { backupName: 'daily-20261101' }),
  ],
  candidates: [
    {
      cluster: 'prod',
      backupName: 'daily-20261125',
      startedAt: '2026-11-25T02:00:00Z',
      mark: 'vulnerable',
    },
    {
      cluster: 'prod',
      backupName: 'daily-20261123',
      startedAt: '2026-11-23T02:00:00Z',
      mark: 'known-good',
    },
  ],
  defaultBackup: {
    cluster: 'prod',
    backupName: 'daily-20261123',
    mark: 'known-good',
    reason: 'the latest known-good backup',
  },
  expectedSeconds: 190,
  rtoTargetSeconds: 3600,
  disabledClusters: [],
};

async function renderSection(options: {
  api: Partial<ResilienceApi>;
  authorize?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
  onTestsChanged?: () => void;
}) {
  const authorize = jest
    .fn()
    .mockReturnValue(options.authorize ?? AuthorizeResult.ALLOW);
  // A cache of its own, so that no permission decision carries over from another test.
  await renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <TestApiProvider
        apis={[
          [permissionApiRef, mockApis.permission({ authorize })],
          [resilienceApiRef, options.api],
        ]}
      >
        <RestoreTestsSection
          entityRef={entityRef}
          recoveryChecks={recoveryChecks}
          onTestsChanged={options.onTestsChanged}
        />
      </TestApiProvider>
    </SWRConfig>,
  );
  return { authorize };
}

function rows(): HTMLElement[] {
  return screen
    .getAllByRole('row')
    .filter(r => within(r).queryAllByRole('cell').length > 1);
}

const runButton = () =>
  screen.getByRole('button', { name: 'Run restore test' });

describe('RestoreTestsSection', () => {
  it('shows the recovery checks, the expected duration and the tests newest first', async () => {
    const getEntityRestoreTests = jest.fn().mockResolvedValue(data);
    const { authorize } = await renderSection({
      api: { getEntityRestoreTests },
    });
    const checks = within(
      screen.getByRole('region', { name: 'Recovery checks' }),
    );
    expect(checks.getByText('Recovery checks')).toBeInTheDocument();
    expect(
      checks.getByText('The latest successful restore test is 2 days old.'),
    ).toBeInTheDocument();

    expect(await screen.findByText('Restore test history')).toBeInTheDocument();
    expect(getEntityRestoreTests).toHaveBeenCalledWith(entityRef);
    expect(
      screen.getByText('Earlier tests took about 3 min.'),
    ).toBeInTheDocument();
    expect(
      rows().map(r =>
        within(r)
          .getAllByRole('cell')
          .map(c => c.textContent),
      ),
    ).toEqual([
      [
        '2026-11-25 09:00 UTCby bob',
        'daily-20261125prodVulnerable',
        'Failed',
        '—',
        '2 min',
        'Cleaned up. The Restore failed.Velero: bucket unavailable',
      ],
      [
        '2026-11-24 10:00 UTCby alice',
        'daily-20261123prodKnown-good',
        'Succeeded',
        '1 h 1 minover the 1 h target',
        '4 min 10 s',
        'Cleaned up. 1 claim bound and 1 Deployment available.',
      ],
      [
        '2026-11-24 10:00 UTCby alice',
        // The backup is gone: its mark is no longer known.
        'daily-20261101prod',
        'Succeeded',
        '2 min 10 swithin the 1 h target',
        '4 min 10 s',
        'Cleaned up. 1 claim bound and 1 Deployment available.',
      ],
    ]);
    await waitFor(() => expect(runButton()).toBeEnabled());
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: 'resilience.restore-test.create',
        }),
        resourceRef: 'component:default/ledger',
      }),
    );
    expect(screen.queryByText(/You may not/)).not.toBeInTheDocument();
  });

  it('disables the button and says why when running tests is not allowed', async () => {
    await renderSection({
      api: { getEntityRestoreTests: async () => data },
      authorize: AuthorizeResult.DENY,
    });
    expect(
      await screen.findByText(
        /You may not run restore tests of this entity: that needs the resilience.restore-test.create permission on it\./,
      ),
    ).toBeInTheDocument();
    expect(runButton()).toBeDisabled();
  });

  it('says why a test matters when there is none, and that the duration is not known', async () => {
    await renderSection({
      api: {
        getEntityRestoreTests: async () => ({
          ...data,
          items: [],
          expectedSeconds: undefined,
        }),
      },
    });
    expect(await screen.findByText('No restore test yet')).toBeInTheDocument();
    expect(
      screen.getByText(
        /A backup is only known to work once it has been restored/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No earlier test succeeded, so how long one takes is not known yet.',
      ),
    ).toBeInTheDocument();
  });

  it('disables the button when there is no backup to restore', async () => {
    await renderSection({
      api: {
        getEntityRestoreTests: async () => ({
          ...data,
          items: [],
          candidates: [],
          defaultBackup: undefined,
        }),
      },
    });
    expect(
      await screen.findByText(
        /There is no completed backup of this entity to restore\./,
      ),
    ).toBeInTheDocument();
    expect(runButton()).toBeDisabled();
  });

  it('offers to follow a running test instead of starting another, and reloads once the dialog closes', async () => {
    const running = test('rt-4', {
      state: 'verifying',
      outcome: undefined,
      createdAt: '2026-11-25T11:00:00Z',
      finishedAt: undefined,
      rtoSeconds: undefined,
      transitions: [
        {
          state: 'verifying',
          at: '2026-11-25T11:01:00Z',
          message: 'Waiting for 1 claim to bind.',
        },
      ],
    });
    const getEntityRestoreTests = jest
      .fn()
      .mockResolvedValueOnce({ ...data, items: [running, ...data.items] })
      .mockResolvedValue(data);
    const onTestsChanged = jest.fn();
    await renderSection({
      api: {
        getEntityRestoreTests,
        getRestoreTest: () => new Promise(() => {}),
      },
      onTestsChanged,
    });
    expect(
      await screen.findByText(
        /A restore test started at 2026-11-25 11:00 UTC is still running/,
      ),
    ).toBeInTheDocument();
    expect(runButton()).toBeDisabled();
    expect(rows()[0]).toHaveTextContent('Verifying');
    expect(rows()[0]).toHaveTextContent(/running\s*for/);

    fireEvent.click(
      screen.getByRole('button', { name: 'Follow the running test' }),
    );
    const dialog = within(screen.getByRole('dialog'));
    expect(
      dialog.getByRole('heading', { name: 'Restore test of daily-20261123' }),
    ).toBeInTheDocument();
    fireEvent.click(dialog.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(getEntityRestoreTests).toHaveBeenCalledTimes(2));
    expect(onTestsChanged).toHaveBeenCalledTimes(1);
    await waitFor(() => expect(runButton()).toBeEnabled());
  });

  it('starts a test of the default backup from the dialog', async () => {
    const createRestoreTest = jest.fn().mockResolvedValue(
      test('rt-5', {
        state: 'pending',
        outcome: undefined,
        finishedAt: undefined,
        rtoSeconds: undefined,
        transitions: [
          {
            state: 'pending',
            at: '2026-11-25T12:00:00Z',
            message: 'Waiting for a slot in prod.',
          },
        ],
      }),
    );
    await renderSection({
      api: {
        getEntityRestoreTests: async () => data,
        createRestoreTest,
        getRestoreTest: () => new Promise(() => {}),
      },
    });
    await waitFor(() => expect(runButton()).toBeEnabled());
    fireEvent.click(runButton());
    const dialog = within(screen.getByRole('dialog'));
    expect(dialog.getByRole('combobox', { name: 'Backup' })).toHaveValue(
      'daily-20261123',
    );
    fireEvent.click(dialog.getByRole('button', { name: 'Start' }));
    expect(await screen.findByRole('status')).toHaveTextContent(
      'Waiting for a slot in prod.',
    );
    expect(createRestoreTest).toHaveBeenCalledWith({
      entityRef: 'component:default/ledger',
      cluster: 'prod',
      backupName: 'daily-20261123',
    });
  });

  it('shows an error of the tests, and the recovery checks still', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'Error', message: 'The database is unavailable' },
          response: { statusCode: 503 },
        }),
        { status: 503, headers: { 'Content-Type': 'application/json' } },
      ) as any,
    );
    await renderSection({
      api: { getEntityRestoreTests: () => Promise.reject(error) },
    });
    expect(
      (await screen.findAllByText(/The database is unavailable/)).length,
    ).toBeGreaterThan(0);
    expect(
      screen.getByRole('region', { name: 'Recovery checks' }),
    ).toBeInTheDocument();
  });

  it('shows a progress bar while the tests load', async () => {
    await renderSection({
      api: { getEntityRestoreTests: () => new Promise(() => {}) },
    });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });
});
