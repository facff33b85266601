import { useEffect, useRef, useState } from 'react';
import { CompoundEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CertificateRenewal,
  CertificateSummary,
} from '@resilience-for-backstage/plugin-resilience-common';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import AlertTitle from '@material-ui/lab/AlertTitle';
import { resilienceApiRef } from '../../api';
import { formatDuration, formatTime } from '../format';

/** Properties of {@link RenewCertificateDialog}. */
export interface RenewCertificateDialogProps {
  /** The cert-manager Certificate to renew. */
  certificate: CertificateSummary;
  /** The catalog entity the certificate belongs to. */
  entityRef: CompoundEntityRef;
  open: boolean;
  /** Closing stops following the renewal; cert-manager goes on with it. */
  onClose: () => void;
  /** Called once when the renewal finished, succeeded or failed, so that the view can reload. */
  onFinished?: (renewal: CertificateRenewal) => void;
  /** How long to wait between two looks at the renewal. */
  pollIntervalMs?: number;
}

type Step =
  | { kind: 'confirm' }
  | { kind: 'requesting' }
  | { kind: 'rejected'; error: Error }
  | {
      kind: 'following';
      renewal: CertificateRenewal;
      /** Why the latest look at the renewal failed; following stops until asked again. */
      pollError?: Error;
    };

const useStyles = makeStyles(theme => ({
  progress: { margin: theme.spacing(2, 0, 1) },
  outcome: { marginTop: theme.spacing(1) },
}));

/** What went wrong, in the backend's words when it gave some. */
export function describeError(error: Error): {
  title: string;
  message: string;
} {
  if (error instanceof ResponseError) {
    const message = error.body?.error?.message || error.message;
    switch (error.statusCode) {
      case 409:
        return { title: 'A renewal is already in progress', message };
      case 403:
        return { title: 'Not allowed', message };
      case 404:
        return { title: 'Not found', message };
      default:
        return {
          title: `The backend answered ${error.statusCode}`,
          message,
        };
    }
  }
  return { title: 'The request failed', message: error.message };
}

function ErrorAlert(props: { error: Error; prefix?: string }) {
  const { title, message } = describeError(props.error);
  return (
    <Alert severity="error">
      <AlertTitle>
        {props.prefix ? `${props.prefix}: ${title}` : title}
      </AlertTitle>
      {message}
    </Alert>
  );
}

function keyText(rotationPolicy: string | undefined): string {
  if (rotationPolicy === 'Always') {
    return 'with a new private key, since the rotation policy is Always';
  }
  if (rotationPolicy === 'Never') {
    return 'with the same private key, since the rotation policy is Never';
  }
  return 'with a new private key if the rotation policy is Always (the default since cert-manager 1.18), else with the same key';
}

/** What renewing does, before it is done. */
function Explanation(props: { certificate: CertificateSummary }) {
  const c = props.certificate;
  const names = c.dnsNames.length > 0 ? ` for ${c.dnsNames.join(', ')}` : '';
  const issuer = c.issuer ? ` from ${c.issuer.kind} ${c.issuer.name}` : '';
  const instead = c.renewalTime
    ? `, instead of at its renewal time ${formatTime(c.renewalTime)}`
    : '';
  return (
    <>
      <DialogContentText>
        cert-manager issues a new certificate{names}
        {issuer} now{instead}, {keyText(c.rotationPolicy)}. It then replaces the
        contents of the Secret {c.namespace}/{c.secretName} in {c.cluster}.
      </DialogContentText>
      <DialogContentText>
        Workloads that read the Secret use the new certificate once they reload
        it. Clients that pin the old certificate or key stop trusting the
        service.
      </DialogContentText>
    </>
  );
}

function RenewalProgress(props: {
  renewal: CertificateRenewal;
  startedAt: number;
}) {
  const { renewal, startedAt } = props;
  const classes = useStyles();
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <>
      <LinearProgress
        className={classes.progress}
        aria-label="Renewal in progress"
      />
      <Typography variant="body2">
        In progress for {formatDuration(Math.max(0, (now - startedAt) / 1000))}:{' '}
        {renewal.message}
      </Typography>
    </>
  );
}

function Outcome(props: { renewal: CertificateRenewal }) {
  const { renewal } = props;
  if (renewal.state === 'succeeded') {
    const facts = [
      renewal.revision !== undefined && `revision ${renewal.revision}`,
      renewal.notAfter && `valid until ${formatTime(renewal.notAfter)}`,
    ].filter(Boolean);
    return (
      <Alert severity="success">
        <AlertTitle>
          Renewed{facts.length > 0 ? `: ${facts.join(', ')}` : ''}
        </AlertTitle>
        {renewal.message}
      </Alert>
    );
  }
  return (
    <Alert severity="error">
      <AlertTitle>The renewal failed</AlertTitle>
      {renewal.message}
    </Alert>
  );
}

/**
 * Renews a cert-manager Certificate after saying what that does: asks the backend to renew it,
 * then follows the renewal until it succeeds or fails, as long as the dialog is open.
 */
export function RenewCertificateDialog(props: RenewCertificateDialogProps) {
  const {
    certificate,
    entityRef,
    open,
    onClose,
    onFinished,
    pollIntervalMs = 1000,
  } = props;
  const api = useApi(resilienceApiRef);
  const classes = useStyles();
  const [step, setStep] = useState<Step>({ kind: 'confirm' });
  const startedAt = useRef(0);
  const finishedReported = useRef(false);
  // The latest callback, so that a new function from the parent never restarts the polling.
  const onFinishedRef = useRef(onFinished);
  onFinishedRef.current = onFinished;

  const renewal = step.kind === 'following' ? step.renewal : undefined;

  // One look at a time: the next is planned once the previous answered (each answer is a new
  // step, even when nothing changed), and none after the dialog closed.
  useEffect(() => {
    if (
      !open ||
      step.kind !== 'following' ||
      step.renewal.state !== 'in-progress' ||
      step.pollError
    ) {
      return undefined;
    }
    const current = step.renewal;
    let cancelled = false;
    const timer = setTimeout(() => {
      api.getCertificateRenewal(current.id).then(
        response => {
          if (!cancelled) {
            setStep({ kind: 'following', renewal: response.renewal });
          }
        },
        (error: Error) => {
          if (!cancelled) {
            setStep({ kind: 'following', renewal: current, pollError: error });
          }
        },
      );
    }, pollIntervalMs);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, open, step, pollIntervalMs]);

  useEffect(() => {
    if (
      renewal &&
      renewal.state !== 'in-progress' &&
      !finishedReported.current
    ) {
      finishedReported.current = true;
      onFinishedRef.current?.(renewal);
    }
  }, [renewal]);

  // A request answered after the dialog closed must not update it.
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const renew = async () => {
    setStep({ kind: 'requesting' });
    startedAt.current = Date.now();
    try {
      const response = await api.renewCertificate({
        entityRef,
        cluster: certificate.cluster,
        namespace: certificate.namespace,
        name: certificate.name,
      });
      if (mounted.current) {
        setStep({ kind: 'following', renewal: response.renewal });
      }
    } catch (error) {
      if (mounted.current) {
        setStep({ kind: 'rejected', error: error as Error });
      }
    }
  };

  const titleId = 'resilience-renew-certificate-title';
  return (
    <Dialog open={open} onClose={onClose} aria-labelledby={titleId} fullWidth>
      <DialogTitle id={titleId}>
        Renew certificate {certificate.name}
      </DialogTitle>
      <DialogContent>
        {step.kind === 'confirm' && <Explanation certificate={certificate} />}
        {step.kind === 'requesting' && (
          <LinearProgress
            className={classes.progress}
            aria-label="Asking for the renewal"
          />
        )}
        {step.kind === 'rejected' && <ErrorAlert error={step.error} />}
        {renewal && (
          <div role="status" className={classes.outcome}>
            {renewal.state === 'in-progress' ? (
              <RenewalProgress
                renewal={renewal}
                startedAt={startedAt.current}
              />
            ) : (
              <Outcome renewal={renewal} />
            )}
          </div>
        )}
        {step.kind === 'following' && step.pollError && (
          <div className={classes.outcome}>
            <ErrorAlert
              error={step.pollError}
              prefix="Could not follow the renewal"
            />
          </div>
        )}
      </DialogContent>
      <DialogActions>
        {step.kind === 'confirm' ? (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button color="primary" variant="contained" onClick={renew}>
              Renew now
            </Button>
          </>
        ) : (
          <>
            {step.kind === 'following' && step.pollError && (
              <Button
                color="primary"
                onClick={() =>
                  setStep({ kind: 'following', renewal: step.renewal })
                }
              >
                Check again
              </Button>
            )}
            <Button onClick={onClose} disabled={step.kind === 'requesting'}>
              Close
            </Button>
          </>
        )}
      </DialogActions>
    </Dialog>
  );
}
