import { renderInTestApp } from '@backstage/test-utils';
import { BackupSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { FailedBackupsTable } from './FailedBackupsTable';

function backup(
  name: string,
  phase: string,
  errors: number,
  warnings: number,
): BackupSummary {
  return {
    cluster: 'prod',
    namespace: 'velero',
    name,
    phase,
    scheduleName: 'daily-payments',
    storageLocation: 'default',
    startedAt: '2026-11-24T02:00:00Z',
    completedAt: '2026-11-24T02:10:00Z',
    errors,
    warnings,
  };
}

async function bodyRows() {
  return (await screen.findAllByRole('row')).filter(
    r => within(r).queryAllByRole('cell').length > 0,
  );
}

describe('FailedBackupsTable', () => {
  it('lists failed and partially failed backups with their error and warning counts', async () => {
    await renderInTestApp(
      <FailedBackupsTable
        retentionSeconds={30 * 86400}
        backups={[
          backup('daily-payments-20261125020000', 'Completed', 0, 2),
          backup('daily-payments-20261124020000', 'PartiallyFailed', 3, 1),
          backup('daily-payments-20261123020000', 'InProgress', 0, 0),
          backup('daily-payments-20261122020000', 'FailedValidation', 1, 0),
        ]}
      />,
    );
    const rows = await bodyRows();
    expect(rows).toHaveLength(2);
    const [partial, failed] = rows.map(r => within(r));
    expect(
      partial.getByText('daily-payments-20261124020000'),
    ).toBeInTheDocument();
    expect(partial.getByText('PartiallyFailed')).toBeInTheDocument();
    expect(partial.getByTestId('status-warning')).toBeInTheDocument();
    expect(partial.getAllByRole('cell').map(c => c.textContent)).toEqual([
      'daily-payments-20261124020000prod · schedule daily-payments',
      'PartiallyFailed',
      '2026-11-24 02:10 UTC',
      '3',
      '1',
      'default',
    ]);
    expect(failed.getByText('FailedValidation')).toBeInTheDocument();
    expect(failed.getByTestId('status-error')).toBeInTheDocument();
  });

  it('says when none failed', async () => {
    await renderInTestApp(
      <FailedBackupsTable
        retentionSeconds={7 * 86400}
        backups={[backup('daily-payments-20261125020000', 'Completed', 0, 0)]}
      />,
    );
    expect(
      await screen.findByText(
        'No backup failed or partially failed in the last 7 d.',
      ),
    ).toBeInTheDocument();
  });
});
