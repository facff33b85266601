import { SastSeverity } from '@resilience-for-backstage/plugin-resilience-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { SEVERITY_TEXT } from '../sast';

/** The theme's colour of each severity; the same in chips and charts. */
export function severityColor(theme: Theme, severity: SastSeverity): string {
  const { status } = theme.palette;
  switch (severity) {
    case 'critical':
      return status.error;
    case 'high':
      return status.warning;
    case 'medium':
      return status.pending;
    case 'low':
      return status.running;
    default:
      return status.aborted;
  }
}

const useStyles = makeStyles(theme => {
  const filled = (severity: SastSeverity) => {
    const color = severityColor(theme, severity);
    return {
      backgroundColor: color,
      color: theme.palette.getContrastText(color),
    };
  };
  return {
    // A chip of its own rather than MUI's, whose background would compete with these colours.
    chip: {
      display: 'inline-block',
      padding: theme.spacing(0.25, 1),
      borderRadius: theme.spacing(1.5),
      border: '2px solid transparent',
      whiteSpace: 'nowrap',
      fontFamily: theme.typography.fontFamily,
      fontSize: theme.typography.caption.fontSize,
      fontWeight: theme.typography.fontWeightBold as number,
    },
    // Critical reads differently from high without colour: an outline and capitals.
    critical: {
      ...filled('critical'),
      borderColor: theme.palette.text.primary,
      textTransform: 'uppercase',
    },
    high: filled('high'),
    medium: filled('medium'),
    low: filled('low'),
    none: filled('none'),
  };
});

/** A finding's or rule's severity, as a coloured word. */
export function SeverityChip(props: { severity: SastSeverity }) {
  const classes = useStyles();
  return (
    <span className={`${classes.chip} ${classes[props.severity]}`}>
      {SEVERITY_TEXT[props.severity]}
    </span>
  );
}
