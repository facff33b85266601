import { ReactNode } from 'react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import {
  Gauge,
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useRouteRef } from '@backstage/core-plugin-api';
import {
  entityRouteRef,
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { EntityScoreResponse } from '@resilience-for-backstage/plugin-resilience-common';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import Typography from '@material-ui/core/Typography';
import { makeStyles, useTheme } from '@material-ui/core/styles';
import { useEntityScore } from '../../hooks/useEntityScore';
import { CHECK_STATE } from '../ChecksCard/ChecksCard';
import { formatTime } from '../format';
import { GradeBadge, ScoreChip } from '../Grade';
import { isMappedToKubernetes, KUBERNETES_ANNOTATIONS } from '../kubernetes';
import { gradeColor, noGradeReason, topFailingChecks } from '../scores';
import { StatusLabel } from '../StatusLabel';

/** The card's title, and the accessible name of its region. */
export const SCORECARD_CARD_TITLE = 'Resilience scorecard';

/** The path of the Resilience tab under an entity's page, as the plugin mounts it. */
const RESILIENCE_TAB_PATH = 'resilience';

const useStyles = makeStyles(theme => ({
  summary: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(3),
  },
  gauge: { width: theme.spacing(16) },
  reason: { flex: '1 1 16em' },
  part: { marginTop: theme.spacing(2) },
  pillars: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(1),
    listStyle: 'none',
    margin: 0,
    padding: 0,
  },
  check: { display: 'block' },
}));

/** The grade as a big letter and the score as a gauge; without a grade, why. */
export function ScoreSummary(props: { data: EntityScoreResponse }) {
  const { data } = props;
  const classes = useStyles();
  const theme = useTheme();
  return (
    <div className={classes.summary}>
      <GradeBadge grade={data.grade} />
      {data.score === null ? (
        <Typography variant="body2" className={classes.reason}>
          {noGradeReason(data)} No data is not an F.
        </Typography>
      ) : (
        <div
          className={classes.gauge}
          role="meter"
          aria-label="Score"
          aria-valuenow={data.score}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuetext={`${data.score} of 100`}
        >
          <Gauge
            value={data.score}
            fractional={false}
            max={100}
            unit=""
            size="small"
            // The grade's colour rather than Gauge's thirds, so that the gauge and letter agree.
            getColor={() => gradeColor(theme, data.grade)}
          />
        </div>
      )}
    </div>
  );
}

/** A chip per pillar with its score, or `no data`, in the order of the pillars. */
export function PillarChips(props: { data: EntityScoreResponse }) {
  const { data } = props;
  const classes = useStyles();
  return (
    <ul className={classes.pillars} aria-label="Pillar scores">
      {data.pillars.map(p => (
        <li key={p.pillar}>
          <ScoreChip
            label={p.title}
            score={p.score}
            bounds={data.gradeBounds}
          />
        </li>
      ))}
    </ul>
  );
}

/** The failing checks first, then the warnings, at most five, with what each means. */
export function TopFailingChecks(props: { data: EntityScoreResponse }) {
  const classes = useStyles();
  const top = topFailingChecks({ score: props.data });
  if (top.length === 0) {
    return (
      <StatusLabel status="ok" wrap>
        No check fails or warns.
      </StatusLabel>
    );
  }
  return (
    <List dense disablePadding aria-label="Top failing checks">
      {top.map(({ pillarTitle, check }) => (
        <ListItem key={check.id} disableGutters divider>
          <div>
            <Typography variant="body2" component="div">
              <StatusLabel status={CHECK_STATE[check.state].status}>
                {CHECK_STATE[check.state].text}
              </StatusLabel>{' '}
              <strong>{check.title}</strong> ({pillarTitle})
            </Typography>
            <Typography
              variant="caption"
              color="textSecondary"
              className={classes.check}
            >
              {check.message}
            </Typography>
          </div>
        </ListItem>
      ))}
    </List>
  );
}

/** Renders a loaded score: the grade and gauge, the pillars, and the checks to act on. */
export function ScorecardCardView(props: { data: EntityScoreResponse }) {
  const { data } = props;
  const classes = useStyles();
  return (
    <>
      <ScoreSummary data={data} />
      <section aria-label="Pillars" className={classes.part}>
        <Typography variant="subtitle2" component="h3" gutterBottom>
          Pillars
        </Typography>
        <PillarChips data={data} />
      </section>
      <section aria-label="Checks to act on" className={classes.part}>
        <Typography variant="subtitle2" component="h3" gutterBottom>
          Checks to act on
        </Typography>
        <TopFailingChecks data={data} />
      </section>
    </>
  );
}

function Card(props: {
  children: ReactNode;
  subheader?: string;
  tabLink?: string;
}) {
  return (
    <section aria-label={SCORECARD_CARD_TITLE}>
      <InfoCard
        title={SCORECARD_CARD_TITLE}
        subheader={props.subheader}
        deepLink={
          props.tabLink
            ? { title: 'Open the Resilience tab', link: props.tabLink }
            : undefined
        }
      >
        {props.children}
      </InfoCard>
    </section>
  );
}

function LoadedScorecardCard(props: {
  entityRef: CompoundEntityRef;
  tabLink: string;
}) {
  const { value, loading, error } = useEntityScore(props.entityRef);
  let content: ReactNode = null;
  if (loading && !value) content = <Progress />;
  else if (error) content = <ResponseErrorPanel error={error} />;
  else if (value) content = <ScorecardCardView data={value} />;
  return (
    <Card
      tabLink={props.tabLink}
      subheader={
        value
          ? `Tier ${value.tier} · computed ${formatTime(value.generatedAt)}`
          : undefined
      }
    >
      {content}
    </Card>
  );
}

/**
 * The resilience scorecard of the entity in context, for its Overview: the grade, the score as a
 * gauge, each pillar's score, and the failing checks first, with a link to the Resilience tab.
 *
 * @public
 */
export function EntityResilienceScorecardCard() {
  const { entity } = useEntity();
  const entityRoute = useRouteRef(entityRouteRef);
  if (!isMappedToKubernetes(entity)) {
    return (
      <Card>
        <MissingAnnotationEmptyState annotation={KUBERNETES_ANNOTATIONS} />
      </Card>
    );
  }
  const entityRef = getCompoundEntityRef(entity);
  return (
    <LoadedScorecardCard
      entityRef={entityRef}
      tabLink={`${entityRoute({
        kind: entityRef.kind.toLocaleLowerCase('en-US'),
        namespace: entityRef.namespace,
        name: entityRef.name,
      })}/${RESILIENCE_TAB_PATH}`}
    />
  );
}
