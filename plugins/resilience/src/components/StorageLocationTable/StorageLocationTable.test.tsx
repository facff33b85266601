import { renderInTestApp } from '@backstage/test-utils';
import { StorageLocationSummary } from '@resilience-for-backstage/plugin-resilience-common';
import { screen, within } from '@testing-library/react';
import { StorageLocationTable } from './StorageLocationTable';

const available: StorageLocationSummary = {
  cluster: 'prod',
  namespace: 'velero',
  name: 'primary',
  phase: 'Available',
  isDefault: true,
  provider: 'aws',
  bucket: 'prod-velero-backups',
  accessMode: 'ReadWrite',
  lastValidatedAt: '2026-11-25T11:59:00Z',
};

const unavailable: StorageLocationSummary = {
  cluster: 'prod',
  namespace: 'velero',
  name: 'secondary',
  phase: 'Unavailable',
  isDefault: false,
  provider: 'gcp',
  bucket: 'dr-backups',
  accessMode: 'ReadOnly',
  lastValidatedAt: '2026-11-25T09:00:00Z',
  message:
    'BackupStorageLocation "secondary" is unavailable: rpc error: code = Unknown desc = storage: bucket doesn\'t exist',
};

async function renderLocations(storageLocations: StorageLocationSummary[]) {
  await renderInTestApp(
    <StorageLocationTable
      storageLocations={storageLocations}
      generatedAt="2026-11-25T12:00:00Z"
    />,
  );
  return (await screen.findAllByRole('row'))
    .filter(r => within(r).queryAllByRole('cell').length > 0)
    .map(r => within(r));
}

describe('StorageLocationTable', () => {
  it('puts an unavailable location first with Velero’s message', async () => {
    const [first, second] = await renderLocations([available, unavailable]);

    expect(first.getByText('secondary')).toBeInTheDocument();
    expect(first.getByText('Unavailable')).toBeInTheDocument();
    expect(first.getByTestId('status-error')).toBeInTheDocument();
    expect(first.getByText(/bucket doesn't exist/)).toBeInTheDocument();
    expect(first.getByText('ReadOnly')).toBeInTheDocument();
    expect(
      first.getByText('Velero writes no new backups here'),
    ).toBeInTheDocument();
    expect(first.getByText('3 h ago')).toBeInTheDocument();
    expect(first.queryByText('default')).not.toBeInTheDocument();

    expect(second.getByText('primary')).toBeInTheDocument();
    expect(second.getByText('default')).toBeInTheDocument();
    expect(second.getByText('Available')).toBeInTheDocument();
    expect(second.getByTestId('status-ok')).toBeInTheDocument();
    expect(second.getByText('aws')).toBeInTheDocument();
    expect(second.getByText('prod-velero-backups')).toBeInTheDocument();
    expect(second.getByText('ReadWrite')).toBeInTheDocument();
    expect(second.getByText('2026-11-25 11:59 UTC')).toBeInTheDocument();
    expect(second.getByText('prod / velero')).toBeInTheDocument();
  });

  it('says when a location was never validated', async () => {
    const [row] = await renderLocations([
      {
        ...available,
        phase: undefined,
        lastValidatedAt: undefined,
        isDefault: false,
      },
    ]);
    expect(row.getByText('Not validated yet')).toBeInTheDocument();
    expect(row.getByText('never')).toBeInTheDocument();
  });

  it('says when no location was collected', async () => {
    await renderLocations([]);
    expect(
      screen.getByText(
        "No backup storage location was collected in the entity's clusters.",
      ),
    ).toBeInTheDocument();
  });
});
