import { Table, TableColumn } from '@backstage/core-components';
import { BackupSummary } from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { formatDuration, formatTime } from '../format';
import { phaseGroup } from '../phase';
import { StatusLabel } from '../StatusLabel';

/** Properties of {@link FailedBackupsTable}. */
export interface FailedBackupsTableProps {
  /** The entity's backups within the retention window, newest first. */
  backups: BackupSummary[];
  retentionSeconds: number;
}

const columns: TableColumn<BackupSummary>[] = [
  {
    title: 'Backup',
    field: 'name',
    highlight: true,
    // Velero names end in a timestamp, which must not be split.
    cellStyle: { minWidth: '16em' },
    render: b => (
      <>
        <Typography variant="body2">{b.name}</Typography>
        <Typography variant="caption" color="textSecondary">
          {[b.cluster, b.scheduleName && `schedule ${b.scheduleName}`]
            .filter(Boolean)
            .join(' · ')}
        </Typography>
      </>
    ),
  },
  {
    title: 'Phase',
    field: 'phase',
    render: b => (
      <StatusLabel
        status={phaseGroup(b.phase) === 'failed' ? 'error' : 'warning'}
      >
        {b.phase}
      </StatusLabel>
    ),
  },
  {
    title: 'Finished',
    field: 'completedAt',
    cellStyle: { whiteSpace: 'nowrap' },
    render: b => {
      const time = b.completedAt ?? b.startedAt;
      return time ? formatTime(time) : '—';
    },
  },
  { title: 'Errors', field: 'errors', type: 'numeric' },
  { title: 'Warnings', field: 'warnings', type: 'numeric' },
  {
    title: 'Storage location',
    field: 'storageLocation',
    render: b => b.storageLocation ?? '—',
  },
];

/**
 * The entity's failed and partially failed backups in the retention window, newest first, with
 * Velero's error and warning counts: what a team reads the backup's logs for.
 */
export function FailedBackupsTable(props: FailedBackupsTableProps) {
  const rows = props.backups.filter(b => {
    const group = phaseGroup(b.phase);
    return group === 'failed' || group === 'partially-failed';
  });
  return (
    <Table<BackupSummary>
      title="Failed and partially failed backups"
      subtitle="Velero's logs of a backup say what went wrong: velero backup logs <name>."
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
        <StatusLabel status="ok" wrap>
          No backup failed or partially failed in the last{' '}
          {formatDuration(props.retentionSeconds)}.
        </StatusLabel>
      }
    />
  );
}
