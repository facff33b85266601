import { Table, TableColumn } from '@backstage/core-components';
import { ScheduleSummary } from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import {
  formatAge,
  formatDuration,
  formatTime,
  secondsBetween,
} from '../format';
import { Caption, TimeWithAge } from '../Cells';
import { StatusLabel } from '../StatusLabel';

/** Properties of {@link ScheduleTable}. */
export interface ScheduleTableProps {
  schedules: ScheduleSummary[];
  rpoSeconds: number;
  retentionSeconds: number;
  /** When the response was computed; times are relative to it. */
  generatedAt: string;
}

const useStyles = makeStyles({
  cron: { fontFamily: 'monospace', whiteSpace: 'nowrap' },
  claims: { margin: 0, padding: 0, listStyle: 'none' },
});

/** Whether Velero runs the schedule: enabled, not paused, and its cron readable. */
function runs(s: ScheduleSummary): boolean {
  return !s.paused && s.phase === 'Enabled' && !s.scheduleError;
}

function State(props: { schedule: ScheduleSummary }) {
  const { schedule } = props;
  if (schedule.paused) {
    return (
      <>
        <StatusLabel status="warning">Paused</StatusLabel>
        <Caption>
          Velero takes no backups while it is paused
          {schedule.phase ? ` (phase ${schedule.phase})` : ''}
        </Caption>
      </>
    );
  }
  if (schedule.phase === 'Enabled') {
    return <StatusLabel status="ok">Enabled</StatusLabel>;
  }
  if (schedule.phase === 'FailedValidation') {
    return (
      <>
        <StatusLabel status="error">FailedValidation</StatusLabel>
        <Caption>Velero rejected it and takes no backups</Caption>
      </>
    );
  }
  return (
    <StatusLabel status="pending">
      {schedule.phase ?? 'Not validated by Velero yet'}
    </StatusLabel>
  );
}

function nextRun(s: ScheduleSummary): string {
  if (s.paused) return 'none: paused';
  if (s.scheduleError) return 'none: the cron expression cannot be read';
  if (s.phase !== 'Enabled') {
    return `none: not enabled (${s.phase ?? 'not validated yet'})`;
  }
  return '—';
}

/**
 * The Velero Schedules that include the entity's claims: whether each one runs, how often,
 * whether its interval fits the RPO and its TTL the retention, and which claims it covers.
 * Schedules that do not run or do not fit the policy come first.
 */
export function ScheduleTable(props: ScheduleTableProps) {
  const { rpoSeconds, retentionSeconds, generatedAt } = props;
  const classes = useStyles();
  const tooRare = (s: ScheduleSummary) =>
    s.largestIntervalSeconds !== undefined &&
    s.largestIntervalSeconds > rpoSeconds;
  const rows = [...props.schedules].sort(
    (a, b) =>
      Number(runs(a)) - Number(runs(b)) ||
      Number(tooRare(b)) - Number(tooRare(a)) ||
      a.name.localeCompare(b.name),
  );
  const columns: TableColumn<ScheduleSummary>[] = [
    {
      title: 'Schedule',
      field: 'name',
      highlight: true,
      cellStyle: { minWidth: '10em' },
      render: s => (
        <>
          <Typography variant="body2">{s.name}</Typography>
          <Caption>
            {s.cluster} / {s.namespace}
          </Caption>
        </>
      ),
    },
    {
      title: 'State',
      field: 'paused',
      cellStyle: { minWidth: '12em' },
      render: s => <State schedule={s} />,
    },
    {
      title: 'Cron',
      field: 'schedule',
      render: s => (
        <>
          <Typography variant="body2" className={classes.cron}>
            {s.schedule}
          </Typography>
          {s.scheduleError && (
            <Caption problem>cannot be read: {s.scheduleError}</Caption>
          )}
          {s.largestIntervalSeconds !== undefined && (
            <Caption problem={tooRare(s)}>
              every {formatDuration(s.largestIntervalSeconds)} at most
              {tooRare(s)
                ? `: longer than the RPO of ${formatDuration(rpoSeconds)}`
                : ''}
            </Caption>
          )}
        </>
      ),
    },
    {
      title: 'Next run',
      field: 'nextRunAt',
      cellStyle: { minWidth: '10em' },
      render: s =>
        s.nextRunAt && runs(s) ? (
          <>
            <Typography variant="body2">{formatTime(s.nextRunAt)}</Typography>
            <Caption>
              in{' '}
              {formatAge(Math.max(0, secondsBetween(generatedAt, s.nextRunAt)))}
            </Caption>
          </>
        ) : (
          nextRun(s)
        ),
    },
    {
      title: 'Last backup',
      field: 'lastBackupAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: s => <TimeWithAge time={s.lastBackupAt} now={generatedAt} />,
    },
    {
      title: 'TTL',
      field: 'ttlSeconds',
      render: s =>
        s.ttlSeconds === undefined ? (
          <>
            not set
            <Caption>Velero's default TTL applies</Caption>
          </>
        ) : (
          <>
            <Typography variant="body2">
              {formatDuration(s.ttlSeconds)}
            </Typography>
            {s.ttlSeconds < retentionSeconds && (
              <Caption problem>
                shorter than the retention of {formatDuration(retentionSeconds)}
              </Caption>
            )}
          </>
        ),
    },
    {
      title: 'Claims',
      field: 'pvcs',
      cellStyle: { whiteSpace: 'nowrap' },
      render: s => (
        <ul className={classes.claims}>
          {s.pvcs.map(pvc => (
            <Typography key={pvc} component="li" variant="body2">
              {pvc}
            </Typography>
          ))}
        </ul>
      ),
    },
  ];
  return (
    <Table<ScheduleSummary>
      title="Velero schedules"
      subtitle={`Schedules that include the entity's claims; each must run at least every ${formatDuration(
        rpoSeconds,
      )} (the RPO) and keep its backups ${formatDuration(
        retentionSeconds,
      )} (the retention).`}
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
        <StatusLabel status="error" wrap>
          No Velero schedule includes the entity's claims: they are backed up
          only when someone starts a backup by hand.
        </StatusLabel>
      }
    />
  );
}
