import {
  Content,
  EmptyState,
  Header,
  Page,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import {
  OrganisationScorecardResponse,
  TeamRanking,
} from '@resilience-for-backstage/plugin-resilience-common';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useOrganisationScorecard } from '../../hooks/useOrganisationScorecard';
import { formatTime } from '../format';
import { GradeDistributionList } from '../Grade';
import { ScorecardOverview } from '../ScorecardOverview';
import { meanText } from '../scores';

/** A team with its place in the ranking, which the table shows and never re-sorts. */
type RankedTeam = TeamRanking & { rank: number };

/** Renders the loaded organisation scorecard: its grades, mean and trend, and the teams ranked. */
export function OrganisationScorecardView(props: {
  data: OrganisationScorecardResponse;
}) {
  const { data } = props;
  const columns: TableColumn<RankedTeam>[] = [
    { title: 'Rank', field: 'rank', width: '4em' },
    {
      title: 'Team',
      field: 'groupRef',
      highlight: true,
      render: t => (
        <EntityRefLink entityRef={t.groupRef} defaultKind="group">
          {t.title}
        </EntityRefLink>
      ),
    },
    { title: 'Entities', field: 'entities', type: 'numeric' },
    {
      title: 'Mean score',
      field: 'meanScore',
      type: 'numeric',
      render: t => meanText(t.meanScore),
    },
    {
      title: 'Grades',
      field: 'distribution',
      render: t => (
        <GradeDistributionList
          distribution={t.distribution}
          label={`Grades of ${t.title ?? t.groupRef}`}
          compact
        />
      ),
    },
  ];
  return (
    <Grid container spacing={3}>
      <Grid item xs={12} component="section" aria-label="Organisation">
        <ScorecardOverview
          title="Organisation"
          meanScore={data.meanScore}
          distribution={data.distribution}
          trend={data.trend}
        />
      </Grid>
      <Grid item xs={12} component="section" aria-label="Teams">
        {data.teams.length === 0 ? (
          <EmptyState
            missing="data"
            title="No team owns a scored entity"
            description="No group you may read owns a component or resource with a score. Scores are computed after each collection of a cluster; set spec.owner of components to their team's group."
          />
        ) : (
          <Table<RankedTeam>
            title="Teams"
            subtitle={`Best mean score first, teams without a score last; computed ${formatTime(
              data.generatedAt,
            )}.`}
            options={{
              paging: data.teams.length > 25,
              pageSize: 25,
              search: false,
              // The ranking is the backend's: a team without a score comes last either way.
              sorting: false,
              padding: 'dense',
            }}
            columns={columns}
            data={data.teams.map((t, i) => ({ ...t, rank: i + 1 }))}
          />
        )}
      </Grid>
    </Grid>
  );
}

function LoadedOrganisationScorecard() {
  const { value, loading, error } = useOrganisationScorecard();
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  return value ? <OrganisationScorecardView data={value} /> : null;
}

/**
 * The organisation's resilience page: every team ranked by the mean score of the entities it
 * owns, with its grades, and the organisation's grades, mean and daily trend.
 *
 * @public
 */
export function ResiliencePage() {
  return (
    <Page themeId="tool">
      <Header
        title="Resilience"
        subtitle="Every team's resilience score, best first."
      />
      <Content>
        <Typography variant="body2" paragraph>
          Each entity is scored from 0 to 100 on its backups, recovery,
          certificates and code security, and graded A to F; an entity without
          data has no grade. A team's score is the mean of the entities it and
          the groups below it own.
        </Typography>
        <LoadedOrganisationScorecard />
      </Content>
    </Page>
  );
}
