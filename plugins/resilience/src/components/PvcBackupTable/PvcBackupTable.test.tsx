import { renderInTestApp } from '@backstage/test-utils';
import { PvcBackupStatus } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { PvcBackupTable } from './PvcBackupTable';

// Ages are as of 2026-11-25 12:00 UTC, counted from the start.
const backup = (name: string, startedAt: string, completedAt: string) => ({
  cluster: 'prod',
  namespace: 'velero',
  name,
  phase: 'Completed',
  scheduleName: 'daily-payments',
  startedAt,
  completedAt,
  errors: 0,
  warnings: 0,
});

const pvcs: PvcBackupStatus[] = [
  {
    cluster: 'prod',
    namespace: 'payments',
    name: 'data-ledger-0',
    phase: 'Bound',
    capacity: '20Gi',
    storageClassName: 'gp3-csi',
    coverage: 'verified',
    coverageReason:
      'CSI snapshot of the claim’s volume in backup daily-payments-20261125020000.',
    lastGoodBackup: backup(
      'daily-payments-20261125020000',
      '2026-11-25T02:00:00Z',
      '2026-11-25T02:04:00Z',
    ),
    lastGoodBackupAgeSeconds: 10 * 3600,
  },
  {
    cluster: 'prod',
    namespace: 'payments',
    name: 'data-ledger-1',
    phase: 'Bound',
    capacity: '20Gi',
    coverage: 'covered',
    coverageReason: 'Backup weekly-payments-20261124040000 includes the claim.',
    // Took 6 h: completed 26 h ago, with data from 32 h ago.
    lastGoodBackup: backup(
      'weekly-payments-20261124040000',
      '2026-11-24T04:00:00Z',
      '2026-11-24T10:00:00Z',
    ),
    lastGoodBackupAgeSeconds: 32 * 3600,
  },
  {
    cluster: 'prod',
    namespace: 'payments',
    name: 'scratch',
    coverage: 'not-covered',
    coverageReason: 'No completed backup includes this claim.',
    lastGoodBackup: null,
    lastGoodBackupAgeSeconds: null,
  },
];

async function bodyRows() {
  return (await screen.findAllByRole('row')).filter(
    r => within(r).queryAllByRole('cell').length > 0,
  );
}

/** The text of a row's cell under the column header `name`. */
function cellText(row: HTMLElement, name: string | RegExp) {
  const headers = screen.getAllByRole('columnheader');
  const index = headers.indexOf(screen.getByRole('columnheader', { name }));
  return within(row).getAllByRole('cell')[index].textContent;
}

describe('PvcBackupTable', () => {
  it('holds each claim’s backup age against the RPO, uncovered and oldest first', async () => {
    await renderInTestApp(<PvcBackupTable pvcs={pvcs} rpoSeconds={86400} />);
    const [uncovered, old, fresh] = await bodyRows();

    expect(uncovered).toHaveTextContent('scratch');
    expect(within(uncovered).getByText('Not covered')).toBeInTheDocument();
    expect(
      within(uncovered).getByText('No completed backup includes this claim.'),
    ).toBeInTheDocument();

    expect(old).toHaveTextContent('data-ledger-1');
    expect(within(old).getByText('Covered')).toBeInTheDocument();
    expect(cellText(old, 'Started')).toBe('2026-11-24 04:00 UTC');
    expect(cellText(old, 'Completed')).toBe('2026-11-24 10:00 UTC');
    expect(cellText(old, /^Data age/)).toBe('32 h8 h over the RPO');

    expect(fresh).toHaveTextContent('data-ledger-0');
    expect(within(fresh).getByText('Verified')).toBeInTheDocument();
    expect(within(fresh).getByText('10 h')).toBeInTheDocument();
    expect(within(fresh).getByText('within the RPO')).toBeInTheDocument();
    expect(within(fresh).getByText('prod / payments')).toBeInTheDocument();
    expect(
      within(fresh).getByText('Bound · 20Gi · gp3-csi'),
    ).toBeInTheDocument();
    expect(
      within(fresh).getByText('daily-payments-20261125020000'),
    ).toBeInTheDocument();
    expect(cellText(fresh, 'Started')).toBe('2026-11-25 02:00 UTC');
    expect(cellText(fresh, 'Completed')).toBe('2026-11-25 02:04 UTC');
    expect(cellText(uncovered, 'Started')).toBe('—');
    expect(cellText(uncovered, 'Completed')).toBe('—');
  });

  it('says the age column is the age of the data, counted from the start', async () => {
    await renderInTestApp(<PvcBackupTable pvcs={pvcs} rpoSeconds={86400} />);
    const header = await screen.findByRole('columnheader', {
      name: 'Data age (RPO 24 h)',
    });
    expect(
      within(header).getByTitle(/the time since the backup started/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/its data, counted from when the backup started/),
    ).toBeInTheDocument();
  });

  it('shows the creation as the start of a backup that has none', async () => {
    const { startedAt: _, ...unstarted } = pvcs[0].lastGoodBackup!;
    await renderInTestApp(
      <PvcBackupTable
        pvcs={[
          {
            ...pvcs[0],
            lastGoodBackup: { ...unstarted, createdAt: '2026-11-25T01:59:00Z' },
          },
        ]}
        rpoSeconds={86400}
      />,
    );
    const [row] = await bodyRows();
    expect(cellText(row, 'Started')).toBe(
      '2026-11-25 01:59 UTCcreated; no start recorded',
    );
  });

  it('flags an age as over a tighter RPO', async () => {
    await renderInTestApp(
      <PvcBackupTable pvcs={[pvcs[0]]} rpoSeconds={4 * 3600} />,
    );
    const [row] = await bodyRows();
    expect(within(row).getByText('6 h over the RPO')).toBeInTheDocument();
    expect(within(row).getAllByTestId('status-error')).toHaveLength(1);
    expect(
      screen.getByRole('columnheader', { name: 'Data age (RPO 4 h)' }),
    ).toBeInTheDocument();
  });
});
