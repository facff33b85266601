import { ReactNode } from 'react';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { CSSProperties } from '@material-ui/core/styles/withStyles';

/** The kinds of Backstage status components. */
export type StatusKind =
  | 'ok'
  | 'warning'
  | 'error'
  | 'pending'
  | 'running'
  | 'aborted';

const ICONS: Record<StatusKind, typeof StatusOK> = {
  ok: StatusOK,
  warning: StatusWarning,
  error: StatusError,
  pending: StatusPending,
  running: StatusRunning,
  aborted: StatusAborted,
};

const useStyles = makeStyles(theme => ({
  root: {
    display: 'inline-flex',
    alignItems: 'baseline',
    // The theme's type comes from React's csstype, the styles' from JSS's: the same values.
    fontWeight: theme.typography
      .fontWeightMedium as CSSProperties['fontWeight'],
  },
  // A status must read as one phrase, never broken inside a word.
  nowrap: { whiteSpace: 'nowrap' },
}));

/**
 * A Backstage status icon followed by its text. The status components mark their whole content
 * `aria-hidden`, which would hide the words from screen readers; here only the icon is hidden and
 * the text stays readable.
 */
export function StatusLabel(props: {
  status: StatusKind;
  children: ReactNode;
  /** Lets a sentence wrap; a short status stays on one line. */
  wrap?: boolean;
}) {
  const classes = useStyles();
  const Icon = ICONS[props.status];
  return (
    <Typography
      component="span"
      variant="inherit"
      className={
        props.wrap ? classes.root : `${classes.root} ${classes.nowrap}`
      }
    >
      <Icon />
      <span>{props.children}</span>
    </Typography>
  );
}
