import { useEffect, useRef, useState } from 'react';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EntityRestoreTestsResponse,
  RestoreTestState,
  RestoreTestSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Step from '@material-ui/core/Step';
import StepLabel from '@material-ui/core/StepLabel';
import Stepper from '@material-ui/core/Stepper';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { resilienceApiRef } from '../../api';
import { formatDuration, formatTime, secondsBetween } from '../format';
import {
  BACKUP_MARK,
  BackupMark,
  candidateClusters,
  candidateKey,
  candidatesOf,
  elapsedSeconds,
  expectedDurationText,
  isCancellable,
  isFinal,
  lastMessage,
  preselectedBackup,
  preselectedCluster,
  RESTORE_TEST_STATE,
  RESTORE_TEST_STEPS,
  rtoText,
  startedByText,
} from '../restoreTests';
import { StatusLabel } from '../StatusLabel';

/** Properties of {@link RunRestoreTestDialog}. */
export interface RunRestoreTestDialogProps {
  /** The entity whose backup is tested. */
  entityRef: CompoundEntityRef;
  /** The entity's restore tests: the candidates, the default backup and the expected duration. */
  data: EntityRestoreTestsResponse;
  open: boolean;
  /**
   * Closing stops following the test; the backend goes on with it. Called with the test started
   * or followed, if any, so that the view can reload.
   */
  onClose: (test?: RestoreTestSummary) => void;
  /** A test that is running, to follow instead of starting one. */
  test?: RestoreTestSummary;
  /** How long to wait between two looks at the test. */
  pollIntervalMs?: number;
  /**
   * Whether the user may cancel the test (the same permission as starting one); without it,
   * the dialog only follows. True by default.
   */
  canCancel?: boolean;
}

type DialogStep =
  | { kind: 'form' }
  | { kind: 'starting' }
  | { kind: 'rejected'; error: Error }
  | {
      kind: 'following';
      test: RestoreTestSummary;
      /** Why the latest look at the test failed; following stops until asked again. */
      pollError?: Error;
    };

const useStyles = makeStyles(theme => ({
  field: { marginTop: theme.spacing(2) },
  mark: { marginTop: theme.spacing(1) },
  progress: { margin: theme.spacing(2, 0, 1) },
  block: { marginTop: theme.spacing(2) },
  stepper: { padding: theme.spacing(2, 0) },
}));

/** What each security mark means for the restore. */
const MARK_MEANING: Record<BackupMark, string> = {
  'known-good': 'no critical or high finding was open when it started.',
  vulnerable:
    'critical or high findings were open when it started; restoring it brings that code back.',
  unknown: 'no SAST report tells how the code stood when it started.',
};

/** What went wrong, in the backend's words when it gave some. */
export function describeRestoreTestError(options: {
  error: Error;
  /** What was being done, for the title of answers without a title of their own. */
  action: 'start' | 'cancel' | 'follow';
}): { title: string; message: string } {
  const { error, action } = options;
  if (error instanceof ResponseError) {
    const message = error.body?.error?.message || error.message;
    switch (error.statusCode) {
      case 400:
        return { title: 'The restore test cannot start', message };
      case 403:
        return { title: 'Not allowed', message };
      case 404:
        return { title: 'Not found', message };
      case 409:
        return action === 'cancel'
          ? { title: 'The restore test can no longer be cancelled', message }
          : { title: 'The restore test cannot start now', message };
      default:
        return { title: `The backend answered ${error.statusCode}`, message };
    }
  }
  return { title: 'The request failed', message: error.message };
}

function ErrorAlert(props: {
  error: Error;
  action: 'start' | 'cancel' | 'follow';
  prefix?: string;
}) {
  const { title, message } = describeRestoreTestError(props);
  return (
    <Alert severity="error">
      <AlertTitle>
        {props.prefix ? `${props.prefix}: ${title}` : title}
      </AlertTitle>
      {message}
    </Alert>
  );
}

function candidateText(candidate: {
  backupName: string;
  startedAt?: string;
  completedAt?: string;
  mark?: BackupMark;
}): string {
  const time = candidate.startedAt ?? candidate.completedAt;
  const facts = [
    time && formatTime(time),
    BACKUP_MARK[candidate.mark ?? 'unknown'].text,
  ].filter(Boolean);
  return `${candidate.backupName} (${facts.join(', ')})`;
}

/** The form: which backup of which cluster, what happens, and how long it should take. */
function Form(props: {
  data: EntityRestoreTestsResponse;
  cluster?: string;
  backupName?: string;
  onCluster: (cluster: string) => void;
  onBackup: (backupName: string) => void;
}) {
  const { data, cluster, backupName, onCluster, onBackup } = props;
  const classes = useStyles();
  const clusters = candidateClusters(data);
  const backups = cluster
    ? candidatesOf({ candidates: data.candidates, cluster })
    : [];
  const selected = backups.find(b => b.backupName === backupName);
  const isDefault =
    !!data.defaultBackup &&
    data.defaultBackup.cluster === cluster &&
    data.defaultBackup.backupName === backupName;
  const mark = selected ? selected.mark ?? 'unknown' : undefined;

  if (data.candidates.length === 0) {
    return (
      <DialogContentText>
        There is no completed backup of this entity to restore.
      </DialogContentText>
    );
  }
  return (
    <>
      <DialogContentText>
        Velero restores the backup into throw-away namespaces
        {cluster ? ` in ${cluster}` : ''}, checks that its volumes bind and its
        workloads become available, measures the recovery time, then deletes
        everything it created. The running service is not touched.
      </DialogContentText>
      <DialogContentText>
        {expectedDurationText(data.expectedSeconds)}
        {data.rtoTargetSeconds !== undefined &&
          ` The recovery time objective is ${formatDuration(
            data.rtoTargetSeconds,
          )}.`}
      </DialogContentText>
      {clusters.length > 1 && (
        <TextField
          id="resilience-restore-test-cluster"
          className={classes.field}
          select
          fullWidth
          variant="outlined"
          size="small"
          label="Cluster"
          value={cluster ?? ''}
          onChange={event => onCluster(event.target.value)}
          SelectProps={{ native: true }}
          helperText={
            clusters.some(c => c.disabled)
              ? 'Restore tests are disabled in the clusters marked so.'
              : undefined
          }
        >
          {cluster === undefined && <option value="">Choose a cluster</option>}
          {clusters.map(c => (
            <option key={c.cluster} value={c.cluster} disabled={c.disabled}>
              {c.disabled ? `${c.cluster} (restore tests disabled)` : c.cluster}
            </option>
          ))}
        </TextField>
      )}
      {cluster === undefined ? (
        <Typography className={classes.field} variant="body2" color="error">
          Restore tests are disabled in every cluster the backups are in.
        </Typography>
      ) : (
        <TextField
          id="resilience-restore-test-backup"
          className={classes.field}
          select
          fullWidth
          variant="outlined"
          size="small"
          label="Backup"
          value={backupName ?? ''}
          onChange={event => onBackup(event.target.value)}
          SelectProps={{ native: true }}
          helperText={
            isDefault ? `Chosen by default: ${data.defaultBackup!.reason}` : ''
          }
        >
          {backups.map(b => (
            <option key={candidateKey(b)} value={b.backupName}>
              {candidateText(b)}
            </option>
          ))}
        </TextField>
      )}
      {mark && (
        <Typography variant="body2" className={classes.mark}>
          <StatusLabel status={BACKUP_MARK[mark].status} wrap>
            {BACKUP_MARK[mark].text}: {MARK_MEANING[mark]}
          </StatusLabel>
        </Typography>
      )}
    </>
  );
}

/** The current time, every second while `ticking`, so that elapsed times advance. */
function useNow(ticking: boolean): string {
  const [now, setNow] = useState(() => new Date().toISOString());
  useEffect(() => {
    if (!ticking) return undefined;
    const timer = setInterval(() => setNow(new Date().toISOString()), 1000);
    return () => clearInterval(timer);
  }, [ticking]);
  return now;
}

/** The label of the last step: the final state once known, else what it will be. */
function finalLabel(test: RestoreTestSummary): string {
  if (isFinal(test.state)) return RESTORE_TEST_STATE[test.state].text;
  if (test.outcome) {
    return `${RESTORE_TEST_STATE[test.outcome].text} once cleaned up`;
  }
  return 'Result';
}

/** The steps of the test, each with when it was entered and what happened then. */
function Steps(props: { test: RestoreTestSummary }) {
  const { test } = props;
  const classes = useStyles();
  const final = isFinal(test.state);
  const states: RestoreTestState[] = [...RESTORE_TEST_STEPS, test.state];
  const active = final
    ? RESTORE_TEST_STEPS.length
    : RESTORE_TEST_STEPS.indexOf(test.state);
  return (
    <Stepper
      activeStep={active}
      orientation="vertical"
      className={classes.stepper}
      role="list"
      aria-label="Steps of the restore test"
    >
      {states.map((state, index) => {
        const isLast = index === RESTORE_TEST_STEPS.length;
        // The latest entry into the state: a step skipped, as verifying when the restore
        // failed, has none and stays unticked; so has the last one until the test is over.
        const transition =
          isLast && !final
            ? undefined
            : [...test.transitions].reverse().find(t => t.state === state);
        const label = isLast
          ? finalLabel(test)
          : RESTORE_TEST_STATE[state].text;
        return (
          <Step
            key={isLast ? 'final' : state}
            role="listitem"
            aria-current={index === active ? 'step' : undefined}
            completed={!!transition && (index < active || final)}
          >
            <StepLabel
              error={isLast && test.state === 'failed'}
              optional={
                transition && (
                  <Typography variant="caption" color="textSecondary">
                    after{' '}
                    {formatDuration(
                      Math.max(
                        0,
                        secondsBetween(test.createdAt, transition.at),
                      ),
                    )}
                    : {transition.message}
                  </Typography>
                )
              }
            >
              {label}
            </StepLabel>
          </Step>
        );
      })}
    </Stepper>
  );
}

/**
 * How the test ended, and its recovery time against the target when it succeeded. Not an alert
 * of its own: it is shown in the dialog's status, which announces it already.
 */
function Result(props: {
  test: RestoreTestSummary;
  rtoTargetSeconds?: number;
}) {
  const { test, rtoTargetSeconds } = props;
  const took = `It took ${formatDuration(
    elapsedSeconds({ test, now: test.finishedAt ?? test.createdAt }),
  )}, clean-up included.`;
  if (test.state === 'succeeded') {
    const rto =
      test.rtoSeconds !== undefined
        ? rtoText({ rtoSeconds: test.rtoSeconds, rtoTargetSeconds })
        : undefined;
    return (
      <Alert severity={rto?.overTarget ? 'warning' : 'success'} role="none">
        <AlertTitle>
          Restore test succeeded{rto ? `: RTO ${rto.text}` : ''}
        </AlertTitle>
        {lastMessage(test)} {took}
      </Alert>
    );
  }
  return (
    <Alert severity={test.state === 'failed' ? 'error' : 'info'} role="none">
      <AlertTitle>
        Restore test {test.state === 'failed' ? 'failed' : 'cancelled'}
      </AlertTitle>
      {lastMessage(test)}
      {test.velero?.failureReason
        ? ` Velero: ${test.velero.failureReason}.`
        : ''}
    </Alert>
  );
}

/**
 * Starts a restore test of one of the entity's backups after saying what it does and how long
 * it should take, then follows it step by step until it ends, as long as the dialog is open:
 * its elapsed time, each step's message, a way to cancel it, and its recovery time.
 */
export function RunRestoreTestDialog(props: RunRestoreTestDialogProps) {
  const {
    entityRef,
    data,
    open,
    onClose,
    test,
    pollIntervalMs = 2000,
    canCancel = true,
  } = props;
  const api = useApi(resilienceApiRef);
  const classes = useStyles();
  const [step, setStep] = useState<DialogStep>(() =>
    test ? { kind: 'following', test } : { kind: 'form' },
  );
  const [cluster, setCluster] = useState(() => preselectedCluster(data));
  const [backupName, setBackupName] = useState(
    () => cluster && preselectedBackup({ data, cluster })?.backupName,
  );
  const [cancelling, setCancelling] = useState<{
    busy: boolean;
    error?: Error;
  }>({ busy: false });

  const followed = step.kind === 'following' ? step.test : undefined;
  const final = followed ? isFinal(followed.state) : false;
  const now = useNow(!!followed && !final);

  // One look at a time: the next is planned once the previous answered (each answer is a new
  // step, even when nothing changed), and none after the dialog closed.
  useEffect(() => {
    if (
      !open ||
      step.kind !== 'following' ||
      isFinal(step.test.state) ||
      step.pollError
    ) {
      return undefined;
    }
    const current = step.test;
    let stopped = false;
    const timer = setTimeout(() => {
      api.getRestoreTest(current.id).then(
        answer => {
          if (!stopped) setStep({ kind: 'following', test: answer });
        },
        (error: Error) => {
          if (!stopped) {
            setStep({ kind: 'following', test: current, pollError: error });
          }
        },
      );
    }, pollIntervalMs);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [api, open, step, pollIntervalMs]);

  // A request answered after the dialog closed must not update it.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const start = async () => {
    setStep({ kind: 'starting' });
    try {
      // The backup shown is the one restored, even when a newer one completed since the form
      // was loaded, so both are always sent.
      const started = await api.createRestoreTest({
        entityRef: stringifyEntityRef(entityRef),
        cluster,
        backupName,
      });
      if (mounted.current) setStep({ kind: 'following', test: started });
    } catch (error) {
      if (mounted.current) setStep({ kind: 'rejected', error: error as Error });
    }
  };

  const cancel = async (current: RestoreTestSummary) => {
    setCancelling({ busy: true });
    try {
      const answer = await api.cancelRestoreTest(current.id);
      if (mounted.current) {
        setCancelling({ busy: false });
        setStep({ kind: 'following', test: answer });
      }
    } catch (error) {
      if (mounted.current) {
        setCancelling({ busy: false, error: error as Error });
      }
    }
  };

  const chooseCluster = (next: string) => {
    setCluster(next);
    setBackupName(preselectedBackup({ data, cluster: next })?.backupName);
  };

  const close = () => onClose(followed);
  const clusterDisabled = !cluster || data.disabledClusters.includes(cluster);
  const titleId = 'resilience-run-restore-test-title';
  return (
    <Dialog open={open} onClose={close} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        {followed
          ? `Restore test of ${followed.backupName}`
          : 'Run restore test'}
      </DialogTitle>
      <DialogContent>
        {step.kind === 'form' && (
          <Form
            data={data}
            cluster={cluster}
            backupName={backupName}
            onCluster={chooseCluster}
            onBackup={setBackupName}
          />
        )}
        {step.kind === 'starting' && (
          <LinearProgress
            className={classes.progress}
            aria-label="Starting the restore test"
          />
        )}
        {step.kind === 'rejected' && (
          <ErrorAlert error={step.error} action="start" />
        )}
        {followed && (
          <>
            <Typography variant="body2">
              {followed.cluster}, started by {startedByText(followed.createdBy)}{' '}
              at {formatTime(followed.createdAt)}.{' '}
              {!final && expectedDurationText(data.expectedSeconds)}
            </Typography>
            <Steps test={followed} />
            <div role="status">
              {final ? (
                <Result
                  test={followed}
                  rtoTargetSeconds={data.rtoTargetSeconds}
                />
              ) : (
                <>
                  <LinearProgress
                    className={classes.progress}
                    aria-label="Restore test in progress"
                  />
                  <Typography variant="body2">
                    {RESTORE_TEST_STATE[followed.state].text},{' '}
                    {formatDuration(elapsedSeconds({ test: followed, now }))}{' '}
                    elapsed: {lastMessage(followed)}
                  </Typography>
                </>
              )}
            </div>
          </>
        )}
        {step.kind === 'following' && step.pollError && (
          <div className={classes.block}>
            <ErrorAlert
              error={step.pollError}
              action="follow"
              prefix="Could not follow the restore test"
            />
          </div>
        )}
        {cancelling.error && (
          <div className={classes.block}>
            <ErrorAlert
              error={cancelling.error}
              action="cancel"
              prefix="Could not cancel"
            />
          </div>
        )}
      </DialogContent>
      <DialogActions>
        {step.kind === 'form' && (
          <>
            <Button onClick={close}>Cancel</Button>
            <Button
              color="primary"
              variant="contained"
              disabled={clusterDisabled || !backupName}
              onClick={start}
            >
              Start
            </Button>
          </>
        )}
        {step.kind === 'rejected' && (
          <Button onClick={() => setStep({ kind: 'form' })}>Back</Button>
        )}
        {step.kind === 'following' && step.pollError && (
          <Button
            color="primary"
            onClick={() => setStep({ kind: 'following', test: step.test })}
          >
            Check again
          </Button>
        )}
        {canCancel && followed && isCancellable(followed) && (
          <Button
            color="secondary"
            disabled={cancelling.busy}
            onClick={() => cancel(followed)}
          >
            Cancel test
          </Button>
        )}
        {step.kind !== 'form' && (
          <Button onClick={close} disabled={step.kind === 'starting'}>
            Close
          </Button>
        )}
      </DialogActions>
    </Dialog>
  );
}
