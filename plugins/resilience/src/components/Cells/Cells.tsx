import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { formatAge, formatTime, secondsBetween } from '../format';

/** A line under a table cell's value; a problem is in the theme's error colour. */
export function Caption(props: { children: ReactNode; problem?: boolean }) {
  return (
    <Typography
      variant="caption"
      color={props.problem ? 'error' : 'textSecondary'}
      display="block"
    >
      {props.children}
    </Typography>
  );
}

/** A time, and under it how long before `now` it was; `never` when there is none. */
export function TimeWithAge(props: { time?: string; now: string }) {
  const { time, now } = props;
  if (!time) return <>never</>;
  return (
    <>
      <Typography variant="body2">{formatTime(time)}</Typography>
      <Caption>{formatAge(Math.max(0, secondsBetween(time, now)))} ago</Caption>
    </>
  );
}
