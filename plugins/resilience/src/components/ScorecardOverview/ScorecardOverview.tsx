import { useId } from 'react';
import { InfoCard } from '@backstage/core-components';
import {
  GradeDistribution,
  TeamScorecardResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { GradeDistributionList } from '../Grade';
import { ScoreTrendChart } from '../ScoreTrendChart';
import { distributionTotal, entitiesText, meanText } from '../scores';

/** Properties of {@link ScorecardOverview}. */
export interface ScorecardOverviewProps {
  /** Whose scores these are, for example `Team payments` or `Organisation`. */
  title: string;
  meanScore: number | null;
  distribution: GradeDistribution;
  /** The daily mean score and grades, oldest first. */
  trend: TeamScorecardResponse['trend'];
}

const useStyles = makeStyles(theme => ({
  mean: {
    fontSize: theme.typography.h3.fontSize,
    fontWeight: theme.typography.fontWeightBold as number,
    lineHeight: 1.2,
  },
  part: { marginTop: theme.spacing(2) },
}));

/**
 * The mean score and grades of a set of entities (a team's, the organisation's), and the daily
 * mean beside them.
 */
export function ScorecardOverview(props: ScorecardOverviewProps) {
  const { title, meanScore, distribution, trend } = props;
  const classes = useStyles();
  const meanId = useId();
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={5} component="section" aria-label="Grades">
        <InfoCard
          title={`${title}: grades`}
          subheader={`Over ${entitiesText(
            distributionTotal(distribution),
          )}; those never scored have no grade.`}
          variant="gridItem"
        >
          <Typography variant="overline" component="p" id={meanId}>
            Mean score
          </Typography>
          <Typography
            className={classes.mean}
            component="p"
            aria-labelledby={meanId}
          >
            {meanText(meanScore)}
          </Typography>
          <div className={classes.part}>
            <GradeDistributionList distribution={distribution} />
          </div>
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={7} component="section" aria-label="Trend">
        <InfoCard
          title="Mean score over time"
          subheader="The mean of the entities scored each day."
          variant="gridItem"
        >
          <ScoreTrendChart
            points={trend.map(t => ({ date: t.date, score: t.meanScore }))}
            label="Mean score trend"
            what="the mean score"
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
