import { renderInTestApp } from '@backstage/test-utils';
import { PvcBackupStatus } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { PvcBackupTable } from './PvcBackupTable';

const backup = (name: string, completedAt: string) => ({
  cluster: 'prod',
  namespace: 'velero',
  name,
  phase: 'Completed',
  scheduleName: 'daily-payments',
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
      '2026-11-25T02:04:00Z',
    ),
    lastGoodBackupAgeSeconds: 9 * 3600 + 56 * 60,
  },
  {
    cluster: 'prod',
    namespace: 'payments',
    name: 'data-ledger-1',
    phase: 'Bound',
    capacity: '20Gi',
    coverage: 'covered',
    coverageReason: 'Backup weekly-payments-20261123100000 includes the claim.',
    lastGoodBackup: backup(
      'weekly-payments-20261123100000',
      '2026-11-24T10:00:00Z',
    ),
    lastGoodBackupAgeSeconds: 26 * 3600,
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

describe('PvcBackupTable', () => {
  it('holds each claim’s backup age against the RPO, uncovered and oldest first', async () => {
    await renderInTestApp(<PvcBackupTable pvcs={pvcs} rpoSeconds={86400} />);
    expect(
      screen.getByRole('columnheader', { name: 'Age (RPO 24 h)' }),
    ).toBeInTheDocument();
    const [uncovered, old, fresh] = await bodyRows();

    expect(uncovered).toHaveTextContent('scratch');
    expect(within(uncovered).getByText('Not covered')).toBeInTheDocument();
    expect(
      within(uncovered).getByText('No completed backup includes this claim.'),
    ).toBeInTheDocument();

    expect(old).toHaveTextContent('data-ledger-1');
    expect(within(old).getByText('Covered')).toBeInTheDocument();
    expect(within(old).getByText('26 h')).toBeInTheDocument();
    expect(within(old).getByText('2 h over the RPO')).toBeInTheDocument();

    expect(fresh).toHaveTextContent('data-ledger-0');
    expect(within(fresh).getByText('Verified')).toBeInTheDocument();
    expect(within(fresh).getByText('9 h 56 min')).toBeInTheDocument();
    expect(within(fresh).getByText('within the RPO')).toBeInTheDocument();
    expect(within(fresh).getByText('prod / payments')).toBeInTheDocument();
    expect(
      within(fresh).getByText('Bound · 20Gi · gp3-csi'),
    ).toBeInTheDocument();
    expect(
      within(fresh).getByText('daily-payments-20261125020000'),
    ).toBeInTheDocument();
    expect(within(fresh).getByText('2026-11-25 02:04 UTC')).toBeInTheDocument();
  });

  it('flags an age as over a tighter RPO', async () => {
    await renderInTestApp(
      <PvcBackupTable pvcs={[pvcs[0]]} rpoSeconds={4 * 3600} />,
    );
    const [row] = await bodyRows();
    expect(
      within(row).getByText('5 h 56 min over the RPO'),
    ).toBeInTheDocument();
    expect(within(row).getAllByTestId('status-error')).toHaveLength(1);
    expect(
      screen.getByRole('columnheader', { name: 'Age (RPO 4 h)' }),
    ).toBeInTheDocument();
  });
});
