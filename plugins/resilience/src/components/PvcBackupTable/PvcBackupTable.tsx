import {
  StatusError,
  StatusOK,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { PvcBackupStatus } from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { formatAge, formatTime } from '../format';

/** Properties of {@link PvcBackupTable}. */
export interface PvcBackupTableProps {
  pvcs: PvcBackupStatus[];
}

const columns: TableColumn<PvcBackupStatus>[] = [
  {
    title: 'Backup',
    field: 'lastCompletedBackup',
    // A status must read as one phrase, never broken inside a word.
    cellStyle: { whiteSpace: 'nowrap' },
    render: pvc =>
      pvc.lastCompletedBackup ? (
        <StatusOK>Backed up</StatusOK>
      ) : (
        <StatusError>No completed backup</StatusError>
      ),
  },
  {
    title: 'Claim',
    field: 'name',
    highlight: true,
    render: pvc => (
      <>
        <Typography variant="body2">{pvc.name}</Typography>
        <Typography variant="caption" color="textSecondary">
          {pvc.cluster} / {pvc.namespace}
        </Typography>
      </>
    ),
  },
  { title: 'Status', field: 'phase', render: pvc => pvc.phase ?? '—' },
  { title: 'Size', field: 'capacity', render: pvc => pvc.capacity ?? '—' },
  {
    title: 'Storage class',
    field: 'storageClassName',
    render: pvc => pvc.storageClassName ?? '—',
  },
  {
    title: 'Last completed backup',
    field: 'lastCompletedBackup.name',
    render: pvc =>
      pvc.lastCompletedBackup ? (
        <>
          <Typography variant="body2">
            {pvc.lastCompletedBackup.name}
          </Typography>
          {pvc.lastCompletedBackup.scheduleName && (
            <Typography variant="caption" color="textSecondary">
              schedule {pvc.lastCompletedBackup.scheduleName}
            </Typography>
          )}
        </>
      ) : (
        '—'
      ),
  },
  {
    title: 'Completed',
    field: 'lastCompletedBackup.completedAt',
    render: pvc =>
      pvc.lastCompletedBackup?.completedAt
        ? formatTime(pvc.lastCompletedBackup.completedAt)
        : '—',
  },
  {
    title: 'Age',
    field: 'lastCompletedBackupAgeSeconds',
    type: 'numeric',
    render: pvc =>
      pvc.lastCompletedBackupAgeSeconds === null
        ? '—'
        : formatAge(pvc.lastCompletedBackupAgeSeconds),
  },
];

/**
 * The persistent volume claims of an entity with their last completed backup; claims without
 * one come first, since they are what a team has to act on.
 */
export function PvcBackupTable(props: PvcBackupTableProps) {
  const rows = [...props.pvcs].sort(
    (a, b) =>
      Number(a.lastCompletedBackup !== null) -
        Number(b.lastCompletedBackup !== null) ||
      (b.lastCompletedBackupAgeSeconds ?? 0) -
        (a.lastCompletedBackupAgeSeconds ?? 0) ||
      a.name.localeCompare(b.name),
  );
  return (
    <Table<PvcBackupStatus>
      title="Persistent volumes and their last completed backup"
      subtitle="Only backups with phase Completed count as restore points, as in Velero."
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        search: rows.length > 20,
        padding: 'dense',
      }}
      columns={columns}
      data={rows}
    />
  );
}
