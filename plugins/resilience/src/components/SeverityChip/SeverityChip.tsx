import { SastSeverity } from '@resilience-for-backstage/plugin-resilience-common';
import { makeStyles, Theme } from '@material-ui/core/styles';
import { chipStyles } from '../chip';
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
  const { chip, filled, worst } = chipStyles(theme);
  const color = (severity: SastSeverity) => severityColor(theme, severity);
  return {
    chip: {
      ...chip,
      fontFamily: theme.typography.fontFamily,
      fontSize: theme.typography.caption.fontSize,
    },
    // Critical reads differently from high without colour.
    critical: worst(color('critical')),
    high: filled(color('high')),
    medium: filled(color('medium')),
    low: filled(color('low')),
    none: filled(color('none')),
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
