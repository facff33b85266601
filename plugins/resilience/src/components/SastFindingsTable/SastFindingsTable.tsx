import { Link, Table, TableColumn } from '@backstage/core-components';
import {
  SAST_SEVERITIES,
  SastFindingSummary,
  SastSeverity,
  SastSeverityCounts,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import ToggleButton from '@material-ui/lab/ToggleButton';
import ToggleButtonGroup from '@material-ui/lab/ToggleButtonGroup';
import { Caption } from '../Cells';
import { formatAge, formatTime, secondsBetween } from '../format';
import { findingLocation, SEVERITY_TEXT } from '../sast';
import { SeverityChip } from '../SeverityChip';
import { StatusLabel } from '../StatusLabel';

/** Properties of {@link SastFindingsTable}. */
export interface SastFindingsTableProps {
  /** One page of the open findings. */
  findings: SastFindingSummary[];
  /** How many open findings match the severity filter, over every page. */
  total: number;
  /** The first finding of the page. */
  offset: number;
  /** The size of the page. */
  limit: number;
  /** The severities shown; all when empty. */
  severities: SastSeverity[];
  /** Open findings of the branch by severity, for the filter's labels. */
  counts: SastSeverityCounts;
  /** The branch the findings are of. */
  branch: string;
  /** When the response was computed; ages are relative to it. */
  generatedAt: string;
  /** True while the next page loads. */
  loading?: boolean;
  /** Asks for another page, or another page size. */
  onPageChange: (page: { offset: number; limit: number }) => void;
  /** Asks for other severities; the page goes back to the first. */
  onSeveritiesChange: (severities: SastSeverity[]) => void;
}

/** The page sizes offered; the backend allows up to 500. */
export const PAGE_SIZES = [25, 50, 100];

const useStyles = makeStyles(theme => ({
  filter: {
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
    marginBottom: theme.spacing(1),
  },
  review: { display: 'block', marginTop: theme.spacing(0.5) },
  message: { overflowWrap: 'anywhere' },
}));

function Location(props: { finding: SastFindingSummary }) {
  const { finding: f } = props;
  const location = findingLocation(f);
  if (!location) return <>—</>;
  return (
    <>
      <Typography variant="body2">
        {f.url ? (
          <Link to={f.url} target="_blank" rel="noopener">
            {location}
          </Link>
        ) : (
          location
        )}
      </Typography>
      {f.commit && <Caption>at {f.commit.slice(0, 12)}</Caption>}
    </>
  );
}

/**
 * One page of the open findings of the branch, most severe first, paged and filtered by severity
 * on the server: the rule, the message, where it is (linked to the source when the backend could
 * build a link), the tool, and how long it has been open.
 */
export function SastFindingsTable(props: SastFindingsTableProps) {
  const {
    findings,
    total,
    offset,
    limit,
    severities,
    counts,
    branch,
    generatedAt,
    loading,
    onPageChange,
    onSeveritiesChange,
  } = props;
  const classes = useStyles();
  const columns: TableColumn<SastFindingSummary>[] = [
    {
      title: 'Severity',
      field: 'severity',
      render: f => (
        <>
          <SeverityChip severity={f.severity} />
          {f.suppression === 'under-review' && (
            <Typography
              component="span"
              variant="caption"
              className={classes.review}
            >
              <StatusLabel status="pending">Under review</StatusLabel>
            </Typography>
          )}
        </>
      ),
    },
    {
      title: 'Rule',
      field: 'ruleId',
      highlight: true,
      render: f => (
        <>
          <Typography variant="body2">{f.ruleName ?? f.ruleId}</Typography>
          {f.ruleName && f.ruleName !== f.ruleId && (
            <Caption>{f.ruleId}</Caption>
          )}
        </>
      ),
    },
    {
      title: 'Message',
      field: 'message',
      cellStyle: { minWidth: '18em' },
      render: f => (
        <Typography variant="body2" className={classes.message}>
          {f.message}
        </Typography>
      ),
    },
    {
      title: 'Location',
      field: 'path',
      render: f => <Location finding={f} />,
    },
    {
      title: 'Tool',
      field: 'tool',
      render: f => (
        <>
          <Typography variant="body2">{f.tool}</Typography>
          {f.category && <Caption>category {f.category}</Caption>}
        </>
      ),
    },
    {
      title: 'First seen',
      field: 'firstSeenAt',
      cellStyle: { whiteSpace: 'nowrap' },
      render: f => (
        <>
          <Typography variant="body2">
            {formatAge(Math.max(0, secondsBetween(f.firstSeenAt, generatedAt)))}{' '}
            ago
          </Typography>
          <Caption>{formatTime(f.firstSeenAt)}</Caption>
        </>
      ),
    },
  ];
  const filtered = severities.length > 0;
  const shown =
    findings.length === 0
      ? 'none'
      : `${offset + 1} to ${offset + findings.length} of ${total}`;
  return (
    <>
      <div className={classes.filter}>
        <Typography variant="body2" id="resilience-sast-severity-filter">
          Filter by severity
        </Typography>
        <ToggleButtonGroup
          size="small"
          value={severities}
          onChange={(_event, value: SastSeverity[]) =>
            // In the order of severity, whatever the order of the clicks.
            onSeveritiesChange(SAST_SEVERITIES.filter(s => value.includes(s)))
          }
          aria-labelledby="resilience-sast-severity-filter"
        >
          {SAST_SEVERITIES.map(s => (
            <ToggleButton key={s} value={s}>
              {SEVERITY_TEXT[s]} ({counts[s]})
            </ToggleButton>
          ))}
        </ToggleButtonGroup>
        {!filtered && (
          <Typography variant="caption" color="textSecondary">
            none chosen: all are shown
          </Typography>
        )}
      </div>
      <Table<SastFindingSummary>
        title="Open findings"
        subtitle={`Findings open on ${branch}${
          filtered
            ? ` of severity ${severities
                .map(s => SEVERITY_TEXT[s].toLowerCase())
                .join(' or ')}`
            : ''
        }, most severe first: ${shown}. Under review: suppressed for review, still open.`}
        isLoading={loading}
        options={{
          paging: true,
          pageSize: limit,
          pageSizeOptions: PAGE_SIZES,
          emptyRowsWhenPaging: false,
          search: false,
          sorting: false,
          padding: 'dense',
          headerStyle: { whiteSpace: 'nowrap' },
        }}
        // Paged on the server: the table shows the page it is given and asks for the others.
        page={Math.floor(offset / limit)}
        totalCount={total}
        onPageChange={(page, pageSize) =>
          onPageChange({ offset: page * pageSize, limit: pageSize })
        }
        columns={columns}
        data={findings}
        emptyContent={
          <Typography variant="body2" color="textSecondary">
            {filtered
              ? `No finding of the chosen severities is open on ${branch}.`
              : `No finding is open on ${branch}.`}
          </Typography>
        }
      />
    </>
  );
}
