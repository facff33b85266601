import { Fragment, ReactNode } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  ANNOTATION_RESILIENCE_RETENTION,
  ANNOTATION_RESILIENCE_RPO,
  ANNOTATION_RESILIENCE_TIER,
  EffectiveBackupPolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { formatDuration } from '../format';

/** Properties of {@link BackupPolicyCard}. */
export interface BackupPolicyCardProps {
  policy: EffectiveBackupPolicy;
}

const useStyles = makeStyles(theme => ({
  list: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(1),
    margin: 0,
  },
  term: { color: theme.palette.text.secondary },
  value: { margin: 0 },
  note: { marginTop: theme.spacing(2) },
}));

/**
 * The policy the entity's backups are checked against: its tier, the values the checks use, and
 * where each value comes from, so that a team knows which annotation to change.
 */
export function BackupPolicyCard(props: BackupPolicyCardProps) {
  const { policy } = props;
  const classes = useStyles();
  const source = (annotation: string) =>
    policy.overriddenBy.includes(annotation)
      ? `set by ${annotation}`
      : `from tier ${policy.tier}`;
  const rows: Array<[string, ReactNode, string | undefined]> = [
    [
      'Tier',
      policy.tier,
      policy.overriddenBy.includes(ANNOTATION_RESILIENCE_TIER)
        ? `set by ${ANNOTATION_RESILIENCE_TIER}`
        : undefined,
    ],
    [
      'RPO',
      formatDuration(policy.rpoSeconds),
      source(ANNOTATION_RESILIENCE_RPO),
    ],
    [
      'Retention',
      formatDuration(policy.retentionSeconds),
      source(ANNOTATION_RESILIENCE_RETENTION),
    ],
    [
      'Recent backups',
      `the last ${policy.recentBackups} finished must not fail`,
      undefined,
    ],
  ];
  return (
    <InfoCard title="Backup policy" variant="gridItem">
      <dl className={classes.list}>
        {rows.map(([term, value, from]) => (
          <Fragment key={term}>
            <Typography component="dt" variant="body2" className={classes.term}>
              {term}
            </Typography>
            <dd className={classes.value}>
              <Typography variant="body2">{value}</Typography>
              {from && (
                <Typography variant="caption" color="textSecondary">
                  {from}
                </Typography>
              )}
            </dd>
          </Fragment>
        ))}
      </dl>
      <Typography
        variant="body2"
        color="textSecondary"
        className={classes.note}
      >
        {policy.overriddenBy.length > 0
          ? `Overridden by the entity's annotations: ${policy.overriddenBy.join(
              ', ',
            )}.`
          : "No annotation overrides the tier's values."}
      </Typography>
    </InfoCard>
  );
}
