import { Table, TableColumn } from '@backstage/core-components';
import {
  BackupSummary,
  PvcBackupStatus,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration, formatTime } from '../format';
import { StatusLabel } from '../StatusLabel';

/** Properties of {@link PvcBackupTable}. */
export interface PvcBackupTableProps {
  pvcs: PvcBackupStatus[];
  /** The entity's recovery point objective, which each claim's backup age is held against. */
  rpoSeconds: number;
}

const useStyles = makeStyles({
  block: { display: 'block' },
});

const COVERAGE_TEXT: Record<PvcBackupStatus['coverage'], string> = {
  verified: 'Verified',
  covered: 'Covered',
  'not-covered': 'Not covered',
};

function Coverage(props: { pvc: PvcBackupStatus }) {
  const classes = useStyles();
  const { pvc } = props;
  return (
    <>
      <StatusLabel status={pvc.coverage === 'not-covered' ? 'error' : 'ok'}>
        {COVERAGE_TEXT[pvc.coverage]}
      </StatusLabel>
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.block}
      >
        {pvc.coverageReason}
      </Typography>
    </>
  );
}

function AgeAgainstRpo(props: { age: number | null; rpoSeconds: number }) {
  const classes = useStyles();
  const { age, rpoSeconds } = props;
  if (age === null) {
    return <>—</>;
  }
  const over = age > rpoSeconds;
  return (
    <>
      <StatusLabel status={over ? 'error' : 'ok'}>
        {formatDuration(age)}
      </StatusLabel>
      <Typography
        variant="caption"
        color="textSecondary"
        className={classes.block}
      >
        {over
          ? `${formatDuration(age - rpoSeconds)} over the RPO`
          : 'within the RPO'}
      </Typography>
    </>
  );
}

/**
 * When the backup began to capture the data. A backup without a start shows its creation, since
 * its age is then counted from that.
 */
function StartedAt(props: { backup: BackupSummary | null }) {
  const classes = useStyles();
  const { backup } = props;
  if (backup?.startedAt) {
    return <>{formatTime(backup.startedAt)}</>;
  }
  if (backup?.createdAt) {
    return (
      <>
        {formatTime(backup.createdAt)}
        <Typography
          variant="caption"
          color="textSecondary"
          className={classes.block}
        >
          created; no start recorded
        </Typography>
      </>
    );
  }
  return <>—</>;
}

const RANK: Record<PvcBackupStatus['coverage'], number> = {
  'not-covered': 0,
  covered: 1,
  verified: 2,
};

/**
 * The persistent volume claims of an entity with their coverage and last good backup; claims
 * that are not covered come first, then the oldest backups, since they are what a team has to
 * act on.
 */
export function PvcBackupTable(props: PvcBackupTableProps) {
  const { rpoSeconds } = props;
  const rows = [...props.pvcs].sort(
    (a, b) =>
      RANK[a.coverage] - RANK[b.coverage] ||
      (b.lastGoodBackupAgeSeconds ?? 0) - (a.lastGoodBackupAgeSeconds ?? 0) ||
      a.name.localeCompare(b.name),
  );
  const columns: TableColumn<PvcBackupStatus>[] = [
    {
      title: 'Claim',
      field: 'name',
      highlight: true,
      cellStyle: { minWidth: '10em' },
      render: pvc => (
        <>
          <Typography variant="body2">{pvc.name}</Typography>
          <Typography variant="caption" color="textSecondary" component="p">
            {pvc.cluster} / {pvc.namespace}
          </Typography>
          <Typography variant="caption" color="textSecondary" component="p">
            {[pvc.phase, pvc.capacity, pvc.storageClassName]
              .filter(Boolean)
              .join(' · ')}
          </Typography>
        </>
      ),
    },
    {
      title: 'Coverage',
      field: 'coverage',
      // Wide enough for the reason to read as a sentence rather than a column of words.
      cellStyle: { minWidth: '22em' },
      render: pvc => <Coverage pvc={pvc} />,
    },
    {
      title: 'Last good backup',
      field: 'lastGoodBackup.name',
      // Velero names end in a timestamp, which must not be split.
      cellStyle: { minWidth: '16em' },
      render: pvc =>
        pvc.lastGoodBackup ? (
          <>
            <Typography variant="body2">{pvc.lastGoodBackup.name}</Typography>
            {pvc.lastGoodBackup.scheduleName && (
              <Typography variant="caption" color="textSecondary">
                schedule {pvc.lastGoodBackup.scheduleName}
              </Typography>
            )}
          </>
        ) : (
          '—'
        ),
    },
    {
      title: 'Started',
      field: 'lastGoodBackup.startedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: pvc => <StartedAt backup={pvc.lastGoodBackup} />,
    },
    {
      title: 'Completed',
      field: 'lastGoodBackup.completedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: pvc =>
        pvc.lastGoodBackup?.completedAt
          ? formatTime(pvc.lastGoodBackup.completedAt)
          : '—',
    },
    {
      // The age of the data, not of the backup's completion: a backup that took hours holds
      // data older than its completion time suggests.
      title: (
        <span title="How old the last good backup's data is: the time since the backup started, when Velero began to capture it. It is held against the RPO.">
          Data age (RPO {formatDuration(rpoSeconds)})
        </span>
      ),
      field: 'lastGoodBackupAgeSeconds',
      render: pvc => (
        <AgeAgainstRpo
          age={pvc.lastGoodBackupAgeSeconds}
          rpoSeconds={rpoSeconds}
        />
      ),
    },
  ];
  return (
    <Table<PvcBackupStatus>
      title="Persistent volumes and their last good backup"
      subtitle={`A good backup has phase Completed, includes the claim and captured volume data; its data, counted from when the backup started, must be at most ${formatDuration(
        rpoSeconds,
      )} old (the RPO).`}
      options={{
        paging: rows.length > 20,
        pageSize: 20,
        search: rows.length > 20,
        padding: 'dense',
        // Headers stay on one line; a narrow page scrolls the table instead of breaking words.
        headerStyle: { whiteSpace: 'nowrap' },
      }}
      columns={columns}
      data={rows}
    />
  );
}
