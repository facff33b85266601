import { InfoCard } from '@backstage/core-components';
import {
  SAST_SEVERITIES,
  SastSeverity,
  SastSeverityCounts as Counts,
} from '@resilience-for-backstage/plugin-resilience-common';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import Alert from '@material-ui/lab/Alert';
import { plural, totalFindings } from '../sast';
import { severityColor } from '../SeverityChip';

/** Properties of {@link SastSeverityCounts}. */
export interface SastSeverityCountsProps {
  /** Open findings of the branch by severity. */
  counts: Counts;
  /** The branch shown. */
  branch: string;
  /** Whether the branch is a default branch, whose findings the checks read. */
  isDefaultBranch: boolean;
  /** Every branch with a report. */
  branches: string[];
  /** Shows another branch. */
  onBranchChange: (branch: string) => void;
}

/** Critical and high findings are what a team acts on first: they stand out. */
const PROMINENT: SastSeverity[] = ['critical', 'high'];

const WORD: Record<SastSeverity, string> = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  none: 'without severity',
};

const useStyles = makeStyles(theme => {
  const tile = (severity: SastSeverity) => {
    const color = severityColor(theme, severity);
    return PROMINENT.includes(severity)
      ? {
          backgroundColor: color,
          color: theme.palette.getContrastText(color),
          borderColor: color,
        }
      : { borderColor: color };
  };
  return {
    counts: {
      display: 'flex',
      flexWrap: 'wrap',
      alignItems: 'flex-end',
      gap: theme.spacing(1),
      listStyle: 'none',
      margin: theme.spacing(1, 0, 0),
      padding: 0,
    },
    tile: {
      border: '2px solid',
      borderRadius: theme.spacing(1),
      padding: theme.spacing(0.5, 1.5),
      textAlign: 'center',
      minWidth: '5.5em',
    },
    number: { display: 'block', lineHeight: 1.2 },
    word: { display: 'block' },
    // A count above zero of the most severe reads bold, whatever the colours.
    nonZero: { fontWeight: theme.typography.fontWeightBold as number },
    critical: tile('critical'),
    high: tile('high'),
    medium: tile('medium'),
    low: tile('low'),
    none: tile('none'),
    branch: { minWidth: '14em', marginBottom: theme.spacing(1) },
    notice: { marginBottom: theme.spacing(1) },
  };
});

/**
 * The open findings of the branch shown, by severity, critical and high in larger filled tiles;
 * the branch, with a selector when several were scanned, and a notice when it is not a default
 * branch.
 */
export function SastSeverityCounts(props: SastSeverityCountsProps) {
  const { counts, branch, isDefaultBranch, branches, onBranchChange } = props;
  const classes = useStyles();
  return (
    <InfoCard
      title="Open findings by severity"
      subheader={`${plural(
        totalFindings(counts),
        'finding',
      )} open on ${branch}`}
      variant="gridItem"
    >
      {branches.length > 1 ? (
        <TextField
          select
          id="resilience-sast-branch"
          label="Branch"
          value={branch}
          onChange={event => onBranchChange(event.target.value)}
          SelectProps={{ native: true }}
          className={classes.branch}
        >
          {branches.map(b => (
            <option key={b} value={b}>
              {b}
            </option>
          ))}
        </TextField>
      ) : (
        <Typography variant="body2" gutterBottom>
          Branch: {branch}
        </Typography>
      )}
      {!isDefaultBranch && (
        <Alert severity="info" className={classes.notice}>
          {branch} is not a default branch: its findings do not count in the
          code-security checks, which read the default branches only
          (resilience.sast.defaultBranches).
        </Alert>
      )}
      <ul className={classes.counts} aria-label="Open findings by severity">
        {SAST_SEVERITIES.map(s => {
          const prominent = PROMINENT.includes(s);
          return (
            <li key={s} className={`${classes.tile} ${classes[s]}`}>
              <Typography
                component="span"
                variant={prominent ? 'h4' : 'h6'}
                className={`${classes.number} ${
                  prominent && counts[s] > 0 ? classes.nonZero : ''
                }`}
              >
                {counts[s]}
              </Typography>{' '}
              <Typography
                component="span"
                variant={prominent ? 'body2' : 'caption'}
                className={classes.word}
              >
                {WORD[s]}
              </Typography>
            </li>
          );
        })}
      </ul>
    </InfoCard>
  );
}
