import { Table, TableColumn } from '@backstage/core-components';
import { StorageLocationSummary } from '@resilience-for-backstage/plugin-resilience-common';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { Caption, TimeWithAge } from '../Cells';
import { StatusLabel } from '../StatusLabel';

/** Properties of {@link StorageLocationTable}. */
export interface StorageLocationTableProps {
  storageLocations: StorageLocationSummary[];
  /** When the response was computed; times are relative to it. */
  generatedAt: string;
}

function Phase(props: { phase?: string }) {
  switch (props.phase) {
    case 'Available':
      return <StatusLabel status="ok">Available</StatusLabel>;
    case 'Unavailable':
      return <StatusLabel status="error">Unavailable</StatusLabel>;
    case undefined:
      return <StatusLabel status="pending">Not validated yet</StatusLabel>;
    default:
      return <StatusLabel status="pending">{props.phase}</StatusLabel>;
  }
}

/** Unavailable locations first, then those not validated yet. */
function rank(l: StorageLocationSummary): number {
  if (l.phase === 'Unavailable') return 0;
  return l.phase === 'Available' ? 2 : 1;
}

/**
 * Velero's BackupStorageLocations in the entity's clusters: whether Velero can reach each one
 * (backups written to an unavailable location cannot be restored from it), where it stores, and
 * whether it accepts new backups. Unavailable locations come first.
 */
export function StorageLocationTable(props: StorageLocationTableProps) {
  const { generatedAt } = props;
  const rows = [...props.storageLocations].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.cluster.localeCompare(b.cluster) ||
      a.name.localeCompare(b.name),
  );
  const columns: TableColumn<StorageLocationSummary>[] = [
    {
      title: 'Location',
      field: 'name',
      highlight: true,
      cellStyle: { minWidth: '10em' },
      render: l => (
        <>
          <Typography variant="body2" component="span">
            {l.name}
          </Typography>{' '}
          {l.isDefault && <Chip label="default" size="small" />}
          <Caption>
            {l.cluster} / {l.namespace}
          </Caption>
        </>
      ),
    },
    {
      title: 'Phase',
      field: 'phase',
      render: l => <Phase phase={l.phase} />,
    },
    {
      title: 'Provider and bucket',
      field: 'bucket',
      render: l => (
        <>
          <Typography variant="body2">{l.provider ?? '—'}</Typography>
          {l.bucket && <Caption>{l.bucket}</Caption>}
        </>
      ),
    },
    {
      title: 'Access mode',
      field: 'accessMode',
      render: l =>
        l.accessMode === 'ReadOnly' ? (
          <>
            <StatusLabel status="warning">ReadOnly</StatusLabel>
            <Caption>Velero writes no new backups here</Caption>
          </>
        ) : (
          l.accessMode ?? '—'
        ),
    },
    {
      title: 'Last validated',
      field: 'lastValidatedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: l => <TimeWithAge time={l.lastValidatedAt} now={generatedAt} />,
    },
    {
      title: 'Message',
      field: 'message',
      cellStyle: { minWidth: '16em' },
      render: l => l.message ?? '—',
    },
  ];
  return (
    <Table<StorageLocationSummary>
      title="Backup storage locations"
      subtitle="Where Velero writes backups in the entity's clusters; a backup can be restored only from an available location."
      options={{
        paging: rows.length > 10,
        pageSize: 10,
        search: false,
        padding: 'dense',
        // Headers stay on one line; a narrow page scrolls the table instead of breaking words.
        headerStyle: { whiteSpace: 'nowrap' },
      }}
      columns={columns}
      data={rows}
      emptyContent={
        <StatusLabel status="warning" wrap>
          No backup storage location was collected in the entity's clusters.
        </StatusLabel>
      }
    />
  );
}
