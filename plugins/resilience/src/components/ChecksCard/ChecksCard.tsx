import { ReactNode, useState } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  CheckEvidence,
  CheckResult,
  CheckState,
} from '@resilience-for-backstage/plugin-resilience-common';
import Collapse from '@material-ui/core/Collapse';
import Link from '@material-ui/core/Link';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration } from '../format';
import { StatusKind, StatusLabel } from '../StatusLabel';

/** Properties of {@link ChecksCard}. */
export interface ChecksCardProps {
  /** The card's title, for example `Backup checks`. */
  title: string;
  checks: CheckResult[];
  /** What the card says when there is no check, for example `No backup checks were computed.` */
  emptyText: string;
  /** What comes before the checks, for example a pillar's score. */
  headline?: ReactNode;
  /**
   * Makes the ids of the evidence lists unique when the same checks are on the page twice, as
   * in the scorecard and in the sections below it.
   */
  idPrefix?: string;
}

/** How each check state is shown: its status icon and its word. */
export const CHECK_STATE: Record<
  CheckState,
  { status: StatusKind; text: string }
> = {
  pass: { status: 'ok', text: 'Pass' },
  warn: { status: 'warning', text: 'Warning' },
  fail: { status: 'error', text: 'Fail' },
  unknown: { status: 'pending', text: 'Unknown' },
  'not-applicable': { status: 'aborted', text: 'Not applicable' },
};

/** The order of the summary: what a team has to act on first. */
const SUMMARY: Array<[CheckState, string]> = [
  ['fail', 'failing'],
  ['warn', 'warning'],
  ['unknown', 'unknown'],
  ['pass', 'passing'],
  ['not-applicable', 'not applicable'],
];

const EVIDENCE_KIND: Record<CheckEvidence['kind'], string> = {
  pvc: 'Claim',
  backup: 'Backup',
  schedule: 'Schedule',
  'storage-location': 'Storage location',
  certificate: 'Certificate',
  secret: 'Secret',
  'restore-test': 'Restore test of',
  finding: 'Finding',
  'sast-report': 'Scan',
};

const useStyles = makeStyles(theme => ({
  // A grid inside the list item, so that the titles line up whatever the width of the states.
  item: {
    display: 'grid',
    gridTemplateColumns: '9em 1fr',
    columnGap: theme.spacing(2),
    alignItems: 'baseline',
    width: '100%',
  },
  head: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    justifyContent: 'space-between',
    columnGap: theme.spacing(2),
  },
  measurement: { whiteSpace: 'nowrap' },
  evidence: {
    margin: theme.spacing(0.5, 0, 0),
    paddingLeft: theme.spacing(2.5),
  },
  toggle: { display: 'block', marginTop: theme.spacing(0.5) },
}));

/**
 * The measured value against the threshold, for example `26 h (at most 24 h)`; without a bound
 * from the API, `26 h of 24 h`, or for counts "threshold", since whether it is a most or a least
 * is then not known.
 */
export function formatMeasurement(check: CheckResult): string | undefined {
  if (check.value === undefined) return undefined;
  const format = (n: number) =>
    check.unit === 'seconds' ? formatDuration(n) : String(n);
  if (check.threshold === undefined) return format(check.value);
  if (check.bound) {
    return `${format(check.value)} (${
      check.bound === 'at-most' ? 'at most' : 'at least'
    } ${format(check.threshold)})`;
  }
  return check.unit === 'seconds'
    ? `${format(check.value)} of ${format(check.threshold)}`
    : `${format(check.value)} (threshold ${format(check.threshold)})`;
}

function evidenceText(evidence: CheckEvidence): string {
  const object = `${EVIDENCE_KIND[evidence.kind]} ${evidence.namespace}/${
    evidence.name
  } in ${evidence.cluster}`;
  return evidence.note ? `${object}: ${evidence.note}` : object;
}

function Check(props: { check: CheckResult; idPrefix: string }) {
  const { check, idPrefix } = props;
  const classes = useStyles();
  const [open, setOpen] = useState(false);
  const measurement = formatMeasurement(check);
  const evidenceId = `${idPrefix}-${check.id}`;
  return (
    <ListItem divider disableGutters>
      <div className={classes.item}>
        <Typography variant="body2" component="div">
          <StatusLabel status={CHECK_STATE[check.state].status}>
            {CHECK_STATE[check.state].text}
          </StatusLabel>
        </Typography>
        <div>
          <div className={classes.head}>
            <Typography variant="subtitle2" component="h3">
              {check.title}
            </Typography>
            {measurement && (
              <Typography variant="body2" className={classes.measurement}>
                {measurement}
              </Typography>
            )}
          </div>
          <Typography variant="body2" color="textSecondary">
            {check.message}
          </Typography>
          {check.evidence.length > 0 && (
            <>
              <Link
                component="button"
                variant="body2"
                className={classes.toggle}
                aria-expanded={open}
                aria-controls={evidenceId}
                onClick={() => setOpen(!open)}
              >
                {open ? 'Hide' : 'Show'} evidence ({check.evidence.length})
              </Link>
              <Collapse in={open} unmountOnExit>
                <ul id={evidenceId} className={classes.evidence}>
                  {check.evidence.map(e => (
                    <Typography
                      key={`${e.kind}/${e.cluster}/${e.namespace}/${e.name}`}
                      component="li"
                      variant="caption"
                      color="textSecondary"
                      display="block"
                    >
                      {evidenceText(e)}
                    </Typography>
                  ))}
                </ul>
              </Collapse>
            </>
          )}
        </div>
      </div>
    </ListItem>
  );
}

/** How many checks are in each state, worst first, for example `1 failing · 4 passing`. */
export function summarizeChecks(checks: CheckResult[]): string {
  return SUMMARY.map(([state, word]) => {
    const count = checks.filter(c => c.state === state).length;
    return count > 0 ? `${count} ${word}` : undefined;
  })
    .filter(Boolean)
    .join(' · ');
}

/**
 * Checks of an entity (its backup checks, its certificate checks), in the API's fixed order so
 * that each keeps its place from one visit to the next: the state, what was measured against
 * what, why, and the objects it rests on.
 */
export function ChecksCard(props: ChecksCardProps) {
  const {
    title,
    checks,
    emptyText,
    headline,
    idPrefix = 'resilience-evidence',
  } = props;
  return (
    <InfoCard
      title={title}
      subheader={summarizeChecks(checks) || undefined}
      variant="gridItem"
    >
      {headline}
      {checks.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {emptyText}
        </Typography>
      ) : (
        <List dense disablePadding>
          {checks.map(check => (
            <Check key={check.id} check={check} idPrefix={idPrefix} />
          ))}
        </List>
      )}
    </InfoCard>
  );
}
