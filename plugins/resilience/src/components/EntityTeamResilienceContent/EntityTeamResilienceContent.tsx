import { ChangeEvent, useState } from 'react';
import {
  CompoundEntityRef,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  EmptyState,
  Progress,
  ResponseErrorPanel,
  Table,
  TableColumn,
} from '@backstage/core-components';
import { EntityRefLink, useEntity } from '@backstage/plugin-catalog-react';
import {
  Grade,
  GRADES,
  PillarId,
  PILLARS,
  ScorecardEntity,
  TeamScorecardResponse,
} from '@resilience-for-backstage/plugin-resilience-common';
import Grid from '@material-ui/core/Grid';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { ScorecardSort, TeamScorecardQuery } from '../../api';
import { useTeamScorecard } from '../../hooks/useTeamScorecard';
import { Caption } from '../Cells';
import { GradeChip } from '../Grade';
import { ScorecardOverview } from '../ScorecardOverview';
import { distributionTotal, pillarTitle, scoreText } from '../scores';

/** The page sizes offered; the backend allows up to 200. */
export const TEAM_PAGE_SIZES = [25, 50, 100];

/** The sort, order, filters and page asked of the backend. */
export type TeamScorecardState = Required<
  Pick<TeamScorecardQuery, 'offset' | 'limit' | 'sort' | 'order' | 'grades'>
> &
  Pick<TeamScorecardQuery, 'pillar'>;

/** Worst first: the entities a team has to act on. */
const INITIAL_VIEW: TeamScorecardState = {
  offset: 0,
  limit: TEAM_PAGE_SIZES[0],
  sort: 'score',
  order: 'asc',
  grades: [],
};

const GRADE_FILTERS: Array<Grade | 'none'> = [...GRADES, 'none'];

const useStyles = makeStyles(theme => ({
  controls: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(2),
    marginBottom: theme.spacing(1),
  },
  select: { minWidth: '12em' },
  grades: { display: 'flex', alignItems: 'center', gap: theme.spacing(1) },
}));

function orderLabels(sort: ScorecardSort): { asc: string; desc: string } {
  return sort === 'name'
    ? { asc: 'A to Z', desc: 'Z to A' }
    : { asc: 'Worst first', desc: 'Best first' };
}

/** The sort, order and filters of the table; each change goes back to the first page. */
function Controls(props: {
  view: TeamScorecardState;
  onViewChange: (view: TeamScorecardState) => void;
}) {
  const { view, onViewChange } = props;
  const classes = useStyles();
  const change = (part: Partial<TeamScorecardState>) =>
    onViewChange({ ...view, ...part, offset: 0 });
  const order = orderLabels(view.sort);
  return (
    <div className={classes.controls}>
      <TextField
        select
        id="resilience-team-sort"
        label="Sort by"
        value={view.sort}
        className={classes.select}
        SelectProps={{ native: true }}
        onChange={(e: ChangeEvent<HTMLInputElement>) =>
          change({ sort: e.target.value as ScorecardSort })
        }
      >
        <option value="score">Score</option>
        <option value="name">Name</option>
        {PILLARS.map(p => (
          <option key={p.id} value={p.id}>
            {p.title} score
          </option>
        ))}
      </TextField>
      <TextField
        select
        id="resilience-team-order"
        label="Order"
        value={view.order}
        className={classes.select}
        SelectProps={{ native: true }}
        onChange={(e: ChangeEvent<HTMLInputElement>) =>
          change({ order: e.target.value as 'asc' | 'desc' })
        }
      >
        <option value="asc">{order.asc}</option>
        <option value="desc">{order.desc}</option>
      </TextField>
      <TextField
        select
        id="resilience-team-pillar"
        label="Pillar"
        value={view.pillar ?? ''}
        className={classes.select}
        SelectProps={{ native: true }}
        // A native select's empty value would otherwise sit under its label.
        InputLabelProps={{ shrink: true }}
        onChange={(e: ChangeEvent<HTMLInputElement>) =>
          change({ pillar: (e.target.value || undefined) as PillarId })
        }
      >
        <option value="">Any</option>
        {PILLARS.map(p => (
          <option key={p.id} value={p.id}>
            Scored in {p.title.toLocaleLowerCase('en-US')}
          </option>
        ))}
      </TextField>
      <div className={classes.grades}>
        <Typography variant="body2" id="resilience-team-grade-filter">
          Filter by grade
        </Typography>
        <ToggleButtonGroup
          size="small"
          value={view.grades}
          onChange={(_event, value: Array<Grade | 'none'>) =>
            // In the order of the grades, whatever the order of the clicks.
            change({ grades: GRADE_FILTERS.filter(g => value.includes(g)) })
          }
          aria-labelledby="resilience-team-grade-filter"
        >
          {GRADE_FILTERS.map(g => (
            <ToggleButton key={g} value={g}>
              {g === 'none' ? 'No grade' : g}
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
      </div>
    </div>
  );
}

/** The subtitle of the table: what it holds, in which order, and which rows. */
function tableSubtitle(options: {
  data: TeamScorecardResponse;
  view: TeamScorecardState;
}): string {
  const { data, view } = options;
  const by =
    view.sort === 'score' || view.sort === 'name'
      ? view.sort
      : `${pillarTitle(view.sort).toLocaleLowerCase('en-US')} score`;
  const order = orderLabels(view.sort)[view.order].toLocaleLowerCase('en-US');
  const shown =
    data.items.length === 0
      ? 'none'
      : `${data.offset + 1} to ${data.offset + data.items.length} of ${
          data.total
        }`;
  return `By ${by}, ${order}; those without it last: ${shown}.`;
}

/** Renders a loaded team scorecard: the grades and mean, the trend, and the table. */
export function TeamScorecardView(props: {
  data: TeamScorecardResponse;
  view: TeamScorecardState;
  loading: boolean;
  onViewChange: (view: TeamScorecardState) => void;
}) {
  const { data, view, loading, onViewChange } = props;
  const columns: TableColumn<ScorecardEntity>[] = [
    {
      title: 'Entity',
      field: 'entityRef',
      highlight: true,
      // Names are not broken inside a word; the other columns give way.
      cellStyle: { whiteSpace: 'nowrap' },
      render: e => (
        <EntityRefLink entityRef={e.entityRef}>{e.title}</EntityRefLink>
      ),
    },
    {
      title: 'Kind',
      field: 'kind',
      render: e => (
        <>
          <Typography variant="body2">{e.kind}</Typography>
          {e.type && <Caption>{e.type}</Caption>}
        </>
      ),
    },
    {
      title: 'Grade',
      field: 'grade',
      render: e => <GradeChip grade={e.grade} />,
    },
    {
      title: 'Score',
      field: 'score',
      render: e => scoreText(e.score),
    },
    ...PILLARS.map(
      (p): TableColumn<ScorecardEntity> => ({
        title: p.title,
        field: `pillars.${p.id}`,
        render: e => scoreText(e.pillars[p.id] ?? null),
      }),
    ),
  ];
  const filtered = view.grades.length > 0 || view.pillar !== undefined;
  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <ScorecardOverview
          title="Team"
          meanScore={data.meanScore}
          distribution={data.distribution}
          trend={data.trend}
        />
      </Grid>
      <Grid item xs={12} component="section" aria-label="Entities">
        <Controls view={view} onViewChange={onViewChange} />
        <Table<ScorecardEntity>
          title="Entities"
          subtitle={tableSubtitle({ data, view })}
          isLoading={loading}
          options={{
            paging: true,
            pageSize: view.limit,
            pageSizeOptions: TEAM_PAGE_SIZES,
            emptyRowsWhenPaging: false,
            search: false,
            // Sorted on the server, over every page, by the controls above.
            sorting: false,
            padding: 'dense',
            headerStyle: { whiteSpace: 'nowrap' },
          }}
          page={Math.floor(view.offset / view.limit)}
          totalCount={data.total}
          onPageChange={(page, pageSize) =>
            onViewChange({
              ...view,
              offset: page * pageSize,
              limit: pageSize,
            })
          }
          columns={columns}
          data={data.items}
          emptyContent={
            <Typography variant="body2" color="textSecondary">
              {filtered
                ? 'No entity of the team passes the filters.'
                : 'The team owns no entity.'}
            </Typography>
          }
        />
      </Grid>
    </Grid>
  );
}

/** The scorecard of a group, loading, failed, empty or loaded. */
export function TeamScorecard(props: { groupRef: CompoundEntityRef }) {
  const { groupRef } = props;
  const [view, setView] = useState<TeamScorecardState>(INITIAL_VIEW);
  const { value, loading, error } = useTeamScorecard(groupRef, view);
  // While the next page loads, the data shown stays, so that the table does not jump.
  if (loading && !value) return <Progress />;
  if (error) return <ResponseErrorPanel error={error} />;
  if (!value) return null;
  if (distributionTotal(value.distribution) === 0) {
    return (
      <EmptyState
        missing="data"
        title="No scored entity"
        description={`${stringifyEntityRef(
          groupRef,
        )} and the groups below it own no component or resource you may read, so there is nothing to score. Set spec.owner of the team's components to this group.`}
      />
    );
  }
  return (
    <TeamScorecardView
      data={value}
      view={view}
      loading={loading}
      onViewChange={setView}
    />
  );
}

/**
 * The resilience scorecard of the group in context, for a tab of Group pages: the grades and
 * mean score of every entity it owns, directly or through the groups below it, their daily mean,
 * and the entities, worst first, sorted, filtered and paged on the server.
 *
 * @public
 */
export function EntityTeamResilienceContent() {
  const { entity } = useEntity();
  if (entity.kind.toLocaleLowerCase('en-US') !== 'group') {
    return (
      <EmptyState
        missing="info"
        title="Only for groups"
        description={`Scorecards are of teams: ${stringifyEntityRef(
          entity,
        )} is a ${entity.kind}. Put this content on Group pages.`}
      />
    );
  }
  return <TeamScorecard groupRef={getCompoundEntityRef(entity)} />;
}
