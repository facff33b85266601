import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  CheckState,
  EntityScoreResponse,
  PillarScore,
} from '@resilience-for-backstage/plugin-resilience-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import { useEntityScore } from '../../hooks/useEntityScore';
import { ChecksCard } from '../ChecksCard';
import { ScoreSummary } from '../EntityResilienceScorecardCard/EntityResilienceScorecardCard';
import { formatTime } from '../format';
import { ScoreChip } from '../Grade';
import { ScoreTrendChart } from '../ScoreTrendChart';

/** The states in the order of a pillar's counts: what is scored, then what is not. */
const COUNTED: Array<[CheckState, string]> = [
  ['pass', 'pass'],
  ['warn', 'warning'],
  ['fail', 'fail'],
  ['unknown', 'unknown'],
  ['not-applicable', 'not applicable'],
];

const useStyles = makeStyles(theme => ({
  headline: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'baseline',
    columnGap: theme.spacing(1.5),
    marginBottom: theme.spacing(1),
  },
}));

/** A pillar's score and weight, and how many of its checks ended in each state. */
export function PillarHeadline(props: {
  pillar: PillarScore;
  data: EntityScoreResponse;
}) {
  const { pillar, data } = props;
  const classes = useStyles();
  const { counts } = pillar;
  return (
    <div className={classes.headline}>
      <ScoreChip score={pillar.score} bounds={data.gradeBounds} />
      <Typography variant="body2">
        {COUNTED.map(([state, word]) => `${counts[state]} ${word}`).join(' · ')}
      </Typography>
      <Typography variant="caption" color="textSecondary">
        Weight {pillar.weight}; unknown and not applicable checks are shown, not
        scored.
      </Typography>
    </div>
  );
}

/**
 * Renders a loaded score: the grade and gauge, the daily score when there is one, then each
 * pillar with its score, its counts and every check with its evidence.
 */
export function EntityScorecardView(props: { data: EntityScoreResponse }) {
  const { data } = props;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} md={data.history.length > 0 ? 5 : 12}>
        <InfoCard
          title="Resilience score"
          subheader={`Tier ${data.tier} · computed ${formatTime(
            data.generatedAt,
          )}`}
          variant="gridItem"
        >
          <ScoreSummary data={data} />
        </InfoCard>
      </Grid>
      {data.history.length > 0 && (
        <Grid item xs={12} md={7}>
          <InfoCard
            title="Score over time"
            subheader="The last computation of each day."
            variant="gridItem"
          >
            <ScoreTrendChart
              points={data.history}
              label="Score trend"
              what="the score"
              height={140}
            />
          </InfoCard>
        </Grid>
      )}
      {data.pillars.map(pillar => (
        <Grid
          key={pillar.pillar}
          item
          xs={12}
          md={6}
          component="section"
          aria-label={`Pillar ${pillar.title}`}
        >
          <ChecksCard
            title={pillar.title}
            checks={pillar.checks}
            emptyText="No check of this pillar was computed for this entity."
            headline={<PillarHeadline pillar={pillar} data={data} />}
            idPrefix={`resilience-score-evidence-${pillar.pillar}`}
          />
        </Grid>
      ))}
    </Grid>
  );
}

/** The score of an entity known to map to Kubernetes objects, loading, failed or loaded. */
export function EntityScorecard(props: { entityRef: CompoundEntityRef }) {
  const { value, loading, error } = useEntityScore(props.entityRef);
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} title="Scorecard" />;
  return value ? <EntityScorecardView data={value} /> : null;
}
