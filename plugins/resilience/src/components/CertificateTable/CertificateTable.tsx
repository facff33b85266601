import { useState } from 'react';
import {
  CompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { Table, TableColumn } from '@backstage/core-components';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  CertificateCheckOutcome,
  CertificateRenewal,
  CertificateSummary,
  EffectiveCertificatePolicy,
  resilienceCertificateRenewPermission,
} from '@resilience-for-backstage/plugin-resilience-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { Caption, TimeWithAge } from '../Cells';
import { CHECK_STATE } from '../ChecksCard/ChecksCard';
import { chipStyles } from '../chip';
import {
  bySoonestExpiry,
  certificateKey,
  expiryReason,
  expiryState,
  expiryText,
  ExpiryState,
} from '../certificates';
import { formatAge, formatTime, secondsBetween } from '../format';
import { RenewCertificateDialog } from '../RenewCertificateDialog';
import { StatusLabel } from '../StatusLabel';

/** Properties of {@link CertificateTable}. */
export interface CertificateTableProps {
  /** The entity's certificates. */
  certificates: CertificateSummary[];
  policy: EffectiveCertificatePolicy;
  /** When the response was computed; times are relative to it. */
  generatedAt: string;
  /** The entity the certificates belong to: renewals are asked for, and allowed, on it. */
  entityRef: CompoundEntityRef;
  /** Called when a renewal started here finished, so that the view can reload. */
  onRenewalFinished?: (renewal: CertificateRenewal) => void;
}

const useStyles = makeStyles(theme => {
  const { chip, filled, worst } = chipStyles(theme);
  return {
    list: { margin: 0, padding: 0, listStyle: 'none' },
    chip: { ...chip, fontSize: theme.typography.body2.fontSize },
    pass: filled(theme.palette.status.ok),
    warn: filled(theme.palette.status.warning),
    fail: filled(theme.palette.status.error),
    // Expired reads differently from failing without colour.
    expired: worst(theme.palette.status.error),
    unknown: {
      backgroundColor: theme.palette.action.selected,
      color: theme.palette.text.primary,
    },
    outcome: { display: 'block', marginBottom: theme.spacing(0.5) },
  };
});

/** The check outcomes worth a line in the table: those not passing, worst first. */
const SHOWN: Array<CertificateCheckOutcome['state']> = [
  'fail',
  'warn',
  'unknown',
];

function ExpiryChip(props: {
  certificate: CertificateSummary;
  policy: EffectiveCertificatePolicy;
}) {
  const { certificate: c, policy } = props;
  const classes = useStyles();
  const state: ExpiryState = expiryState(c.secondsLeft, policy);
  return (
    <>
      <span className={`${classes.chip} ${classes[state]}`}>
        {expiryText(c.secondsLeft)}
      </span>
      <Caption problem={state === 'expired' || state === 'fail'}>
        {expiryReason(state, policy)}
      </Caption>
      {c.notAfter && <Caption>until {formatTime(c.notAfter)}</Caption>}
    </>
  );
}

function Issuer(props: { certificate: CertificateSummary }) {
  const { issuer, chain } = props.certificate;
  if (!issuer) return <>—</>;
  const selfSigned = chain[0]?.selfSigned;
  return (
    <>
      <Typography variant="body2">
        {issuer.kind} {issuer.name}
      </Typography>
      {issuer.ready === true && <StatusLabel status="ok">Ready</StatusLabel>}
      {issuer.ready === false && (
        <StatusLabel status="error">Not ready</StatusLabel>
      )}
      {issuer.ready === undefined && issuer.kind !== 'X.509' && (
        <Caption>readiness unknown</Caption>
      )}
      {selfSigned && <Caption>self-signed</Caption>}
    </>
  );
}

function Name(props: { certificate: CertificateSummary }) {
  const { certificate: c } = props;
  return (
    <>
      <Typography variant="body2">{c.name}</Typography>
      {c.secretName !== c.name && <Caption>Secret {c.secretName}</Caption>}
      {c.issuing && <StatusLabel status="running">Issuing</StatusLabel>}
      {c.secretProblem && <Caption problem>{c.secretProblem}</Caption>}
    </>
  );
}

function ManagedBy(props: { certificate: CertificateSummary }) {
  const { certificate: c } = props;
  if (c.managedBy === 'hand') {
    return (
      <>
        <StatusLabel status="warning">By hand</StatusLabel>
        <Caption>no Certificate renews it</Caption>
      </>
    );
  }
  return <Typography variant="body2">cert-manager</Typography>;
}

function RotationPolicy(props: { certificate: CertificateSummary }) {
  const { certificate: c } = props;
  if (c.managedBy === 'hand') return <>—</>;
  if (c.rotationPolicy === 'Always') {
    return (
      <>
        <StatusLabel status="ok">Always</StatusLabel>
        <Caption>a new key at every renewal</Caption>
      </>
    );
  }
  if (!c.rotationPolicy) {
    return (
      <>
        <Typography variant="body2">not set</Typography>
        <Caption>Always since cert-manager 1.18, Never before</Caption>
      </>
    );
  }
  return (
    <>
      <StatusLabel status="warning">{c.rotationPolicy}</StatusLabel>
      <Caption>the key is kept at renewal</Caption>
    </>
  );
}

function Renewals(props: {
  certificate: CertificateSummary;
  generatedAt: string;
}) {
  const { certificate: c, generatedAt } = props;
  const next = c.renewalTime;
  return (
    <>
      <TimeWithAge time={c.lastRenewedAt} now={generatedAt} />
      {c.revision !== undefined && <Caption>revision {c.revision}</Caption>}
      {next && (
        <Caption problem={secondsBetween(generatedAt, next) < 0}>
          next {formatTime(next)}
          {secondsBetween(generatedAt, next) >= 0
            ? ` (in ${formatAge(secondsBetween(generatedAt, next))})`
            : ' (overdue)'}
          {c.renewalTimeComputed ? ', computed' : ''}
        </Caption>
      )}
      {!!c.failedIssuanceAttempts && (
        <Caption problem>
          {c.failedIssuanceAttempts} failed issuance attempt
          {c.failedIssuanceAttempts === 1 ? '' : 's'}
        </Caption>
      )}
    </>
  );
}

function Findings(props: { certificate: CertificateSummary }) {
  const { certificate: c } = props;
  const classes = useStyles();
  const shown = SHOWN.flatMap(state =>
    c.checks.filter(check => check.state === state),
  );
  if (shown.length === 0) {
    return <StatusLabel status="ok">All checks pass</StatusLabel>;
  }
  return (
    <ul className={classes.list} aria-label={`Findings for ${c.name}`}>
      {shown.map(check => (
        <Typography
          key={check.id}
          component="li"
          variant="body2"
          className={classes.outcome}
        >
          <StatusLabel status={CHECK_STATE[check.state].status} wrap>
            {CHECK_STATE[check.state].text}: {check.message}
          </StatusLabel>
        </Typography>
      ))}
    </ul>
  );
}

const RENEWAL_TEXT: Record<CertificateRenewal['state'], string> = {
  'in-progress': 'in progress',
  succeeded: 'succeeded',
  failed: 'failed',
};

function Renew(props: {
  certificate: CertificateSummary;
  allowed: boolean;
  onRenew: () => void;
}) {
  const { certificate: c, allowed, onRenew } = props;
  if (c.managedBy !== 'cert-manager') {
    return <Caption>replace the Secret by hand</Caption>;
  }
  const busy = c.issuing || c.lastRenewal?.state === 'in-progress';
  return (
    <>
      {allowed && (
        <Button
          size="small"
          variant="outlined"
          color="primary"
          disabled={busy}
          onClick={onRenew}
          aria-label={`Renew now: ${c.name}`}
        >
          Renew now
        </Button>
      )}
      {allowed && busy && <Caption>cert-manager is issuing it now</Caption>}
      {c.lastRenewal && (
        <Caption problem={c.lastRenewal.state === 'failed'}>
          renewal from the portal {RENEWAL_TEXT[c.lastRenewal.state]}
          {c.lastRenewal.finishedAt
            ? ` at ${formatTime(c.lastRenewal.finishedAt)}`
            : ''}
          {c.lastRenewal.state === 'failed' ? `: ${c.lastRenewal.message}` : ''}
        </Caption>
      )}
    </>
  );
}

/**
 * The entity's TLS certificates, soonest expiry first: where each one lives, what it is for, who
 * issues and renews it, how long it has left against the policy, and what its checks found. Those
 * cert-manager manages can be renewed from here by users allowed to.
 */
export function CertificateTable(props: CertificateTableProps) {
  const { policy, generatedAt, entityRef, onRenewalFinished } = props;
  const classes = useStyles();
  const permission = usePermission({
    permission: resilienceCertificateRenewPermission,
    resourceRef: stringifyEntityRef(entityRef),
  });
  const [renewing, setRenewing] = useState<CertificateSummary>();
  const rows = [...props.certificates].sort(bySoonestExpiry);
  const managed = rows.some(c => c.managedBy === 'cert-manager');

  const columns: TableColumn<CertificateSummary>[] = [
    {
      title: 'Certificate',
      field: 'name',
      highlight: true,
      cellStyle: { minWidth: '10em' },
      render: c => <Name certificate={c} />,
    },
    { title: 'Namespace', field: 'namespace' },
    { title: 'Cluster', field: 'cluster' },
    {
      title: 'DNS names',
      field: 'dnsNames',
      render: c =>
        c.dnsNames.length === 0 ? (
          '—'
        ) : (
          <ul className={classes.list}>
            {c.dnsNames.map(dns => (
              <Typography key={dns} component="li" variant="body2">
                {dns}
              </Typography>
            ))}
          </ul>
        ),
    },
    {
      title: 'Issuer',
      field: 'issuer.name',
      render: c => <Issuer certificate={c} />,
    },
    {
      title: 'Expires',
      field: 'secondsLeft',
      cellStyle: { minWidth: '11em' },
      render: c => <ExpiryChip certificate={c} policy={policy} />,
    },
    {
      title: 'Managed by',
      field: 'managedBy',
      render: c => <ManagedBy certificate={c} />,
    },
    {
      title: 'Key rotation',
      field: 'rotationPolicy',
      render: c => <RotationPolicy certificate={c} />,
    },
    {
      title: 'Last renewed',
      field: 'lastRenewedAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: c => <Renewals certificate={c} generatedAt={generatedAt} />,
    },
    {
      title: 'Findings',
      field: 'checks',
      cellStyle: { minWidth: '18em' },
      render: c => <Findings certificate={c} />,
    },
    {
      title: 'Renew',
      field: 'lastRenewal',
      sorting: false,
      cellStyle: { minWidth: '9em' },
      render: c => (
        <Renew
          certificate={c}
          allowed={permission.allowed}
          onRenew={() => setRenewing(c)}
        />
      ),
    },
  ];
  const denied =
    managed && !permission.loading && !permission.allowed
      ? ' You may not renew them from here: that needs the resilience.certificate.renew permission on this entity.'
      : '';
  return (
    <>
      <Table<CertificateSummary>
        title="TLS certificates"
        subtitle={`Soonest expiry first. Warning below ${formatAge(
          policy.expiryWarningSeconds,
        )} left, failing below ${formatAge(
          policy.expiryFailureSeconds,
        )}.${denied}`}
        options={{
          paging: rows.length > 10,
          pageSize: 10,
          search: false,
          padding: 'dense',
          headerStyle: { whiteSpace: 'nowrap' },
        }}
        columns={columns}
        data={rows}
        emptyContent={
          <Typography variant="body2" color="textSecondary">
            No TLS certificate found for this entity: no cert-manager
            Certificate, no TLS Secret named by its Ingresses and no TLS Secret
            of its own.
          </Typography>
        }
      />
      {renewing && (
        <RenewCertificateDialog
          key={certificateKey(renewing)}
          open
          certificate={renewing}
          entityRef={entityRef}
          onClose={() => setRenewing(undefined)}
          onFinished={onRenewalFinished}
        />
      )}
    </>
  );
}
