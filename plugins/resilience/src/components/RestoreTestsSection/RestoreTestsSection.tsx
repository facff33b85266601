import { useState } from 'react';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CheckResult,
  EntityRestoreTestsResponse,
  resilienceRestoreTestCreatePermission,
  RestoreTestSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import Button from '@material-ui/core/Button';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEntityRestoreTests } from '../../hooks/useEntityRestoreTests';
import { Caption } from '../Cells';
import { ChecksCard } from '../ChecksCard';
import { formatDuration, formatTime } from '../format';
import {
  BACKUP_MARK,
  candidateClusters,
  elapsedSeconds,
  expectedDurationText,
  isFinal,
  lastMessage,
  markOf,
  RESTORE_TEST_STATE,
  rtoText,
  startedByText,
} from '../restoreTests';
import { RunRestoreTestDialog } from '../RunRestoreTestDialog';
import { StatusLabel } from '../StatusLabel';

/** The section's accessible name on the Resilience tab. */
export const RESTORE_TESTS_REGION = 'Restore tests';

/** Properties of {@link RestoreTestsSection}. */
export interface RestoreTestsSectionProps {
  /** The entity whose backups are tested. */
  entityRef: CompoundEntityRef;
  /** The recovery checks of the entity's resilience response. */
  recoveryChecks: CheckResult[];
  /** Called when a dialog that started or followed a test closed, so that the tab can reload. */
  onTestsChanged?: () => void;
}

const useStyles = makeStyles(theme => ({
  toolbar: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(2),
  },
  empty: { padding: theme.spacing(2) },
  message: { minWidth: '16em' },
}));

/** Why no test can be started now, in a sentence; nothing when one can. */
export function whyNoRun(options: {
  data: EntityRestoreTestsResponse;
  allowed: boolean;
  running?: RestoreTestSummary;
}): string | undefined {
  const { data, allowed, running } = options;
  if (!allowed) {
    return 'You may not run restore tests of this entity: that needs the resilience.restore-test.create permission on it.';
  }
  if (running) {
    return `A restore test started at ${formatTime(
      running.createdAt,
    )} is still running: follow it, or wait until it is over.`;
  }
  if (data.candidates.length === 0) {
    return 'There is no completed backup of this entity to restore.';
  }
  if (candidateClusters(data).every(c => c.disabled)) {
    return 'Restore tests are disabled in every cluster its backups are in.';
  }
  return undefined;
}

function Started(props: { test: RestoreTestSummary }) {
  const { test } = props;
  return (
    <>
      <Typography variant="body2">{formatTime(test.createdAt)}</Typography>
      <Caption>by {startedByText(test.createdBy)}</Caption>
    </>
  );
}

function Backup(props: {
  test: RestoreTestSummary;
  data: EntityRestoreTestsResponse;
}) {
  const { test, data } = props;
  const mark = markOf({
    candidates: data.candidates,
    cluster: test.cluster,
    backupName: test.backupName,
  });
  return (
    <>
      <Typography variant="body2">{test.backupName}</Typography>
      <Caption>{test.cluster}</Caption>
      {mark && (
        <Typography variant="caption" display="block">
          <StatusLabel status={BACKUP_MARK[mark].status}>
            {BACKUP_MARK[mark].text}
          </StatusLabel>
        </Typography>
      )}
    </>
  );
}

function State(props: { test: RestoreTestSummary }) {
  const { test } = props;
  const shown = RESTORE_TEST_STATE[test.state];
  return (
    <>
      <StatusLabel status={shown.status}>{shown.text}</StatusLabel>
      {!isFinal(test.state) && test.outcome && (
        <Caption problem={test.outcome === 'failed'}>
          then {RESTORE_TEST_STATE[test.outcome].text.toLocaleLowerCase('en')}
        </Caption>
      )}
    </>
  );
}

function Rto(props: { test: RestoreTestSummary; rtoTargetSeconds?: number }) {
  const { test, rtoTargetSeconds } = props;
  if (test.state !== 'succeeded' || test.rtoSeconds === undefined) {
    return <>—</>;
  }
  const rto = rtoText({ rtoSeconds: test.rtoSeconds, rtoTargetSeconds });
  return (
    <>
      <Typography variant="body2">{rto.rto}</Typography>
      <Caption problem={rto.overTarget}>{rto.against}</Caption>
    </>
  );
}

function Duration(props: { test: RestoreTestSummary }) {
  const { test } = props;
  if (!isFinal(test.state) || !test.finishedAt) {
    return (
      <>
        <Typography variant="body2">running</Typography>
        <Caption>
          for{' '}
          {formatDuration(
            elapsedSeconds({ test, now: new Date().toISOString() }),
          )}
        </Caption>
      </>
    );
  }
  return (
    <Typography variant="body2">
      {formatDuration(elapsedSeconds({ test, now: test.finishedAt }))}
    </Typography>
  );
}

function Message(props: { test: RestoreTestSummary }) {
  const { test } = props;
  return (
    <>
      <Typography variant="body2">{lastMessage(test) ?? '—'}</Typography>
      {test.velero?.failureReason && (
        <Caption problem>Velero: {test.velero.failureReason}</Caption>
      )}
    </>
  );
}

/** The history and the button, once the entity's restore tests are loaded. */
export function RestoreTestsView(props: {
  data: EntityRestoreTestsResponse;
  entityRef: CompoundEntityRef;
  /** Called when the dialog closed after starting or following a test. */
  onTestsChanged?: () => void;
}) {
  const { data, entityRef, onTestsChanged } = props;
  const classes = useStyles();
  const permission = usePermission({
    permission: resilienceRestoreTestCreatePermission,
    resourceRef: stringifyEntityRef(entityRef),
  });
  // Undefined while closed; `test` is the running test to follow, else a new one is started.
  const [dialog, setDialog] = useState<{ test?: RestoreTestSummary }>();
  const running = data.items.find(t => !isFinal(t.state));
  const why = permission.loading
    ? undefined
    : whyNoRun({ data, allowed: permission.allowed, running });

  const columns: TableColumn<RestoreTestSummary>[] = [
    {
      title: 'Started',
      field: 'createdAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: t => <Started test={t} />,
    },
    {
      title: 'Backup',
      field: 'backupName',
      highlight: true,
      render: t => <Backup test={t} data={data} />,
    },
    { title: 'State', field: 'state', render: t => <State test={t} /> },
    {
      title: 'RTO',
      field: 'rtoSeconds',
      cellStyle: { whiteSpace: 'nowrap' },
      render: t => <Rto test={t} rtoTargetSeconds={data.rtoTargetSeconds} />,
    },
    {
      title: 'Duration',
      field: 'finishedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: t => <Duration test={t} />,
    },
    {
      title: 'Message',
      field: 'transitions',
      sorting: false,
      cellStyle: { minWidth: '16em' },
      render: t => <Message test={t} />,
    },
  ];

  return (
    <>
      <div className={classes.toolbar}>
        <Button
          variant="contained"
          color="primary"
          disabled={permission.loading || !!why}
          onClick={() => setDialog({})}
        >
          Run restore test
        </Button>
        {running && (
          <Button
            variant="outlined"
            color="primary"
            onClick={() => setDialog({ test: running })}
          >
            Follow the running test
          </Button>
        )}
        <Typography variant="body2" color="textSecondary">
          {expectedDurationText(data.expectedSeconds)}
          {why ? ` ${why}` : ''}
        </Typography>
      </div>
      <Table<RestoreTestSummary>
        title="Restore test history"
        subtitle={`The latest tests, newest first${
          data.rtoTargetSeconds !== undefined
            ? `; the recovery time objective is ${formatDuration(
                data.rtoTargetSeconds,
              )}`
            : ''
        }.`}
        options={{
          paging: data.items.length > 10,
          pageSize: 10,
          search: false,
          sorting: false,
          padding: 'dense',
          headerStyle: { whiteSpace: 'nowrap' },
        }}
        columns={columns}
        data={data.items}
        emptyContent={
          <div className={classes.empty}>
            <Typography variant="subtitle1" component="p">
              No restore test yet
            </Typography>
            <Typography variant="body2" color="textSecondary">
              A backup is only known to work once it has been restored: a
              restore test proves that this entity's data comes back, and
              measures how long that takes against its recovery time objective.
            </Typography>
          </div>
        }
      />
      {dialog && (
        <RunRestoreTestDialog
          key={dialog.test?.id ?? 'new'}
          open
          entityRef={entityRef}
          data={data}
          test={dialog.test}
          canCancel={permission.allowed}
          onClose={test => {
            setDialog(undefined);
            if (test) onTestsChanged?.();
          }}
        />
      )}
    </>
  );
}

/**
 * The restore tests of an entity, on the Resilience tab: its recovery checks, a button to run a
 * test with how long earlier ones took, and the history of its tests. The tests are loaded on
 * their own, so that the rest of the tab shows when they cannot be.
 */
export function RestoreTestsSection(props: RestoreTestsSectionProps) {
  const { entityRef, recoveryChecks, onTestsChanged } = props;
  const { value, loading, error, retry } = useEntityRestoreTests(entityRef);
  let history;
  // While loading again, the data shown stays, so that an open dialog is not torn down.
  if (loading && !value) {
    history = <Progress />;
  } else if (error) {
    history = <ResponseErrorPanel error={error} />;
  } else if (value) {
    history = (
      <RestoreTestsView
        data={value}
        entityRef={entityRef}
        onTestsChanged={() => {
          retry();
          onTestsChanged?.();
        }}
      />
    );
  }
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} component="section" aria-label="Recovery checks">
        <ChecksCard
          title="Recovery checks"
          checks={recoveryChecks}
          emptyText="No recovery checks were computed for this entity."
        />
      </Grid>
      <Grid item xs={12}>
        {history}
      </Grid>
    </Grid>
  );
}
