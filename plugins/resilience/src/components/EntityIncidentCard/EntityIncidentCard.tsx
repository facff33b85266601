import { ReactNode } from 'react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  InfoCard,
  MissingAnnotationEmptyState,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import {
  BackupSummary,
  CertificateSummary,
  EntityIncidentResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEntityIncident } from '../../hooks/useEntityIncident';
import { Caption } from '../Cells';
import { bySoonestExpiry, certificateKey, expiryText } from '../certificates';
import { formatAge, formatTime } from '../format';
import { isMappedToKubernetes, KUBERNETES_ANNOTATIONS } from '../kubernetes';
import { plural } from '../sast';
import { StatusLabel } from '../StatusLabel';

/** The card's title, and the accessible name of its region. */
export const INCIDENT_CARD_TITLE = 'If this service is compromised';

const useStyles = makeStyles(theme => ({
  part: { marginTop: theme.spacing(2), '&:first-child': { marginTop: 0 } },
  backup: { fontWeight: theme.typography.fontWeightBold as number },
  group: { backgroundColor: theme.palette.background.default },
}));

function Part(props: { title: string; children: ReactNode }) {
  const classes = useStyles();
  return (
    <section aria-label={props.title} className={classes.part}>
      <Typography variant="subtitle2" component="h3" gutterBottom>
        {props.title}
      </Typography>
      {props.children}
    </section>
  );
}

/** Why there is no known-good backup to restore to, in a sentence. */
export function noKnownGoodReason(data: EntityIncidentResponse): string {
  if (!data.scanned) {
    return 'None can be named: no SAST report of a default branch was uploaded for this entity, so no backup is known to be free of critical or high findings.';
  }
  if (data.vulnerableSince.length > 0) {
    return 'None: every completed backup still kept was taken while critical or high findings were open, so restoring any of them brings that code back.';
  }
  return 'None: no completed backup still kept was taken after a scan with no critical or high finding open.';
}

function LatestKnownGood(props: { data: EntityIncidentResponse }) {
  const { data } = props;
  const classes = useStyles();
  const backup = data.latestKnownGood;
  if (!backup) {
    return (
      <Typography variant="body2" color="error">
        {noKnownGoodReason(data)}
      </Typography>
    );
  }
  const age =
    data.latestKnownGoodAgeSeconds === null
      ? ''
      : `, ${formatAge(Math.max(0, data.latestKnownGoodAgeSeconds))} ago`;
  return (
    <>
      <Typography variant="body1" className={classes.backup}>
        {backup.name}
      </Typography>
      <Caption>
        {[
          `cluster ${backup.cluster}`,
          backup.completedAt &&
            `completed ${formatTime(backup.completedAt)}${age}`,
          backup.scheduleName && `schedule ${backup.scheduleName}`,
        ]
          .filter(Boolean)
          .join(' · ')}
      </Caption>
      <Caption>
        No critical or high finding was open on the default branches when it
        started.
      </Caption>
    </>
  );
}

function OpenNow(props: { data: EntityIncidentResponse }) {
  const { scanned, openFindings } = props.data;
  if (!scanned) {
    return (
      <StatusLabel status="pending" wrap>
        Unknown: no scan of a default branch was uploaded.
      </StatusLabel>
    );
  }
  const { critical, high } = openFindings;
  if (critical + high === 0) {
    return (
      <StatusLabel status="ok" wrap>
        No critical or high finding is open on the default branches.
      </StatusLabel>
    );
  }
  return (
    <StatusLabel status="error" wrap>
      {critical} critical and {high} high{' '}
      {critical + high === 1 ? 'finding is' : 'findings are'} open on the
      default branches: the code running now is vulnerable too.
    </StatusLabel>
  );
}

function VulnerableSince(props: { data: EntityIncidentResponse }) {
  const { data } = props;
  const backups = data.vulnerableSince;
  if (backups.length === 0) {
    return (
      <Typography variant="body2">
        {data.latestKnownGood
          ? 'None: no vulnerable backup was taken since the latest known-good one.'
          : 'None is marked vulnerable.'}
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" gutterBottom>
        {plural(backups.length, 'backup')}{' '}
        {data.latestKnownGood ? 'since then' : 'still kept'}{' '}
        {backups.length === 1 ? 'was' : 'were'} taken with critical or high
        findings open: restoring {backups.length === 1 ? 'it' : 'any of them'}{' '}
        brings that code back.
      </Typography>
      <Table size="small" aria-label="Vulnerable backups">
        <TableHead>
          <TableRow>
            <TableCell>Backup</TableCell>
            <TableCell>Started</TableCell>
            <TableCell align="right">Critical</TableCell>
            <TableCell align="right">High</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {backups.map((b: BackupSummary) => (
            <TableRow key={`${b.cluster}/${b.namespace}/${b.name}`}>
              <TableCell>
                <Typography variant="body2">{b.name}</Typography>
                <Caption>cluster {b.cluster}</Caption>
              </TableCell>
              <TableCell>
                {b.startedAt ? formatTime(b.startedAt) : '—'}
              </TableCell>
              <TableCell align="right">
                {b.security?.openCritical ?? '—'}
              </TableCell>
              <TableCell align="right">{b.security?.openHigh ?? '—'}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
}

/** The certificates grouped by cluster and namespace, in the order of their first expiry. */
function byNamespace(
  certificates: CertificateSummary[],
): Array<{ cluster: string; namespace: string; items: CertificateSummary[] }> {
  const groups = new Map<
    string,
    { cluster: string; namespace: string; items: CertificateSummary[] }
  >();
  for (const c of [...certificates].sort(bySoonestExpiry)) {
    const key = `${c.cluster}/${c.namespace}`;
    if (!groups.has(key)) {
      groups.set(key, {
        cluster: c.cluster,
        namespace: c.namespace,
        items: [],
      });
    }
    groups.get(key)!.items.push(c);
  }
  return [...groups.values()];
}

function CertificatesToRotate(props: { data: EntityIncidentResponse }) {
  const { certificates, namespaces } = props.data;
  const classes = useStyles();
  const where = namespaces.map(n => `${n.cluster}/${n.namespace}`).join(', ');
  if (certificates.length === 0) {
    return (
      <Typography variant="body2">
        No TLS certificate in the entity's namespaces
        {where ? ` (${where})` : ''}.
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" gutterBottom>
        Every TLS certificate in the namespaces the entity runs in
        {where ? ` (${where})` : ''}, its own and its neighbours': a compromised
        workload may have read their keys.
      </Typography>
      <Table size="small" aria-label="Certificates to rotate">
        <TableHead>
          <TableRow>
            <TableCell>Certificate</TableCell>
            <TableCell>Cluster</TableCell>
            <TableCell>Managed by</TableCell>
            <TableCell>Expires</TableCell>
          </TableRow>
        </TableHead>
        {byNamespace(certificates).map(group => (
          <TableBody key={`${group.cluster}/${group.namespace}`}>
            <TableRow className={classes.group}>
              <TableCell component="th" scope="rowgroup" colSpan={4}>
                Namespace {group.namespace} in {group.cluster}
              </TableCell>
            </TableRow>
            {group.items.map(c => (
              <TableRow key={certificateKey(c)}>
                <TableCell>
                  <Typography variant="body2">
                    {c.namespace}/{c.name}
                  </Typography>
                  {c.secretName !== c.name && (
                    <Caption>Secret {c.secretName}</Caption>
                  )}
                </TableCell>
                <TableCell>{c.cluster}</TableCell>
                <TableCell>
                  {c.managedBy === 'hand' ? (
                    <StatusLabel status="warning">By hand</StatusLabel>
                  ) : (
                    'cert-manager'
                  )}
                </TableCell>
                <TableCell>{expiryText(c.secondsLeft)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        ))}
      </Table>
    </>
  );
}

/** Renders a loaded incident view. */
export function IncidentView(props: { data: EntityIncidentResponse }) {
  const { data } = props;
  return (
    <>
      <Part title="Latest known-good backup">
        <LatestKnownGood data={data} />
      </Part>
      <Part title="Open critical and high findings">
        <Typography variant="body2" component="div">
          <OpenNow data={data} />
        </Typography>
      </Part>
      <Part title="Vulnerable backups since">
        <VulnerableSince data={data} />
      </Part>
      <Part title="Certificates to rotate">
        <CertificatesToRotate data={data} />
      </Part>
    </>
  );
}

function LoadedIncident(props: { entityRef: CompoundEntityRef }) {
  const { value, loading, error } = useEntityIncident(props.entityRef);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return value ? <IncidentView data={value} /> : null;
}

function Card(props: { children: ReactNode }) {
  return (
    <section aria-label={INCIDENT_CARD_TITLE}>
      <InfoCard
        title={INCIDENT_CARD_TITLE}
        subheader="What to restore to, and which keys to rotate."
      >
        {props.children}
      </InfoCard>
    </section>
  );
}

/** The incident card of an entity known to map to Kubernetes objects. */
export function IncidentCard(props: { entityRef: CompoundEntityRef }) {
  return (
    <Card>
      <LoadedIncident entityRef={props.entityRef} />
    </Card>
  );
}

/**
 * What to do when the entity in context is compromised: the latest backup taken with no critical
 * or high finding open, the vulnerable backups since, the findings open now, and the
 * certificates whose keys to rotate, by namespace.
 *
 * @public
 */
export function EntityIncidentCard() {
  const { entity } = useEntity();
  if (!isMappedToKubernetes(entity)) {
    return (
      <Card>
        <MissingAnnotationEmptyState annotation={KUBERNETES_ANNOTATIONS} />
      </Card>
    );
  }
  return <IncidentCard entityRef={getCompoundEntityRef(entity)} />;
}
