import { InfoCard } from '@backstage/core-components';
import {
  BACKUP_TIMELINE_LIMIT,
  BackupSecurityMark,
  BackupSummary,
  EffectiveBackupPolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import {
  AxisLine,
  ChartLegend,
  ChartSvg,
  ChartSummary,
  LegendEntry,
  plotArea,
  useChartWidth,
  XAxis,
  YAxis,
} from '../charts';
import { formatDuration, formatTime } from '../format';
import { PHASE_GROUPS, PhaseGroup } from '../phase';
import {
  buildTimeline,
  Gap,
  Timeline,
  TimelinePoint,
  timeTicks,
  valueTicks,
} from './timeline';

/** Properties of {@link BackupTimeline}. */
export interface BackupTimelineProps {
  /** The entity's backups within the retention window, newest first. */
  backups: BackupSummary[];
  policy: EffectiveBackupPolicy;
  /** When the response was computed: the right end of the chart. */
  generatedAt: string;
}

const GROUP_TEXT: Record<PhaseGroup, string> = {
  completed: 'Completed',
  'partially-failed': 'PartiallyFailed',
  failed: 'Failed',
  'in-progress': 'In progress',
  other: 'Other phase',
};

type SecurityMark = BackupSecurityMark['mark'];

const MARKS: SecurityMark[] = ['known-good', 'vulnerable', 'unknown'];

const MARK_TEXT: Record<SecurityMark, string> = {
  'known-good': 'Known-good',
  vulnerable: 'Vulnerable',
  unknown: 'Security unknown',
};

/** Groups listed in the legend even when empty, since "none failed" is worth saying. */
const ALWAYS_LISTED: PhaseGroup[] = ['completed', 'partially-failed', 'failed'];

const HEIGHT = 240;
const MARGIN = { top: 16, right: 16, bottom: 28, left: 64 };
const MARKER = 4.5;
// One timeline per page: the tab shows one entity.
const SUMMARY_ID = 'resilience-backup-timeline-summary';

const useStyles = makeStyles(theme => ({
  age: { fill: 'none', stroke: theme.palette.text.secondary, strokeWidth: 1.5 },
  overRpo: { fill: 'none', stroke: theme.palette.status.error, strokeWidth: 3 },
  breach: { fill: alpha(theme.palette.status.error, 0.1) },
  rpo: {
    stroke: theme.palette.status.error,
    strokeWidth: 1.5,
    strokeDasharray: '6 4',
  },
  rpoLabel: {
    fill: theme.palette.status.error,
    fontSize: 11,
    fontFamily: theme.typography.fontFamily,
  },
  marker: { stroke: theme.palette.background.paper, strokeWidth: 1 },
  // Security marks are rings around the phase's marker: one solid ring, two rings, or a dashed
  // ring, so that they differ without colours and never hide the phase.
  'known-good': {
    fill: 'none',
    stroke: theme.palette.status.ok,
    strokeWidth: 1.5,
  },
  vulnerable: {
    fill: 'none',
    stroke: theme.palette.status.error,
    strokeWidth: 1.5,
  },
  unknown: {
    fill: 'none',
    stroke: theme.palette.text.secondary,
    strokeWidth: 1.5,
    strokeDasharray: '2 2',
  },
  markCentre: { fill: theme.palette.text.secondary },
  completed: { fill: theme.palette.status.ok },
  'partially-failed': { fill: theme.palette.status.warning },
  failed: { fill: theme.palette.status.error },
  'in-progress': { fill: theme.palette.status.running },
  other: { fill: theme.palette.status.aborted },
}));

/**
 * A phase's marker. Phases differ in shape as well as colour, so that they can be told apart
 * without seeing colours.
 */
function Marker(props: {
  group: PhaseGroup;
  x: number;
  y: number;
  className: string;
}) {
  const { group, x, y, className } = props;
  const r = MARKER;
  switch (group) {
    case 'completed':
      return <circle cx={x} cy={y} r={r} className={className} />;
    case 'partially-failed':
      return (
        <path
          d={`M${x},${y - r - 1}L${x + r + 1},${y + r}L${x - r - 1},${y + r}Z`}
          className={className}
        />
      );
    case 'failed':
      return (
        <rect
          x={x - r}
          y={y - r}
          width={2 * r}
          height={2 * r}
          className={className}
        />
      );
    case 'in-progress':
      return (
        <path
          d={`M${x},${y - r - 1}L${x + r + 1},${y}L${x},${y + r + 1}L${
            x - r - 1
          },${y}Z`}
          className={className}
        />
      );
    default:
      return <circle cx={x} cy={y} r={r - 1.5} className={className} />;
  }
}

/** A backup's security mark, drawn around its marker. */
function SecurityRing(props: {
  mark: SecurityMark;
  x: number;
  y: number;
  className: string;
}) {
  const { mark, x, y, className } = props;
  if (mark === 'vulnerable') {
    return (
      <g className={className}>
        <circle cx={x} cy={y} r={MARKER + 2.5} />
        <circle cx={x} cy={y} r={MARKER + 5.5} />
      </g>
    );
  }
  return <circle cx={x} cy={y} r={MARKER + 3} className={className} />;
}

/** What a security mark says of its backup, in a line. */
export function securityText(security: BackupSecurityMark): string {
  switch (security.mark) {
    case 'known-good':
      return 'known-good: no critical or high finding was open when it started';
    case 'vulnerable':
      return `vulnerable: ${security.openCritical} critical and ${security.openHigh} high findings were open when it started`;
    default:
      return 'security unknown: no scan of the default branch before it started';
  }
}

/** How many placed backups carry each security mark; undefined when none carries one. */
export function countMarks(
  points: TimelinePoint[],
): Record<SecurityMark, number> | undefined {
  const marked = points.filter(p => p.backup.security);
  if (marked.length === 0) return undefined;
  const counts: Record<SecurityMark, number> = {
    'known-good': 0,
    vulnerable: 0,
    unknown: 0,
  };
  for (const p of marked) counts[p.backup.security!.mark]++;
  return counts;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** What a point's tooltip (and a screen reader) says about its backup. */
export function pointTitle(point: TimelinePoint, rpoSeconds: number): string {
  const b = point.backup;
  // Both times of a completed backup: it is restorable from its completion, but its data is as
  // old as its start.
  const when = b.completedAt
    ? [
        b.startedAt && `started ${formatTime(b.startedAt)}`,
        `completed ${formatTime(b.completedAt)}`,
      ]
        .filter(Boolean)
        .join(', ')
    : `started ${formatTime(b.startedAt!)}, not completed`;
  const since =
    point.sinceGood === null
      ? 'no completed backup before it in the window'
      : `${formatDuration(
          point.sinceGood,
        )} since the previous completed backup started${
          point.sinceGood > rpoSeconds ? ', over the RPO' : ''
        }`;
  const where = [
    b.scheduleName && `schedule ${b.scheduleName}`,
    b.storageLocation && `location ${b.storageLocation}`,
    `cluster ${b.cluster}`,
  ]
    .filter(Boolean)
    .join(' · ');
  return [
    `${b.name}: ${b.phase}`,
    when,
    `${plural(b.errors, 'error')}, ${plural(b.warnings, 'warning')}`,
    since,
    b.security && securityText(b.security),
    where,
  ]
    .filter(Boolean)
    .join('\n');
}

/** The chart in one paragraph: what it shows at a glance, for those who cannot see it. */
export function summarizeTimeline(
  timeline: Timeline,
  policy: EffectiveBackupPolicy,
): string {
  const rpo = formatDuration(policy.rpoSeconds);
  const total = timeline.points.length;
  const counts = [...PHASE_GROUPS]
    .reverse()
    .filter(g => timeline.counts[g] > 0)
    .map(g => `${timeline.counts[g]} ${GROUP_TEXT[g]}`)
    .join(', ');
  const parts = [
    `${plural(total, 'backup')} in the last ${formatDuration(
      policy.retentionSeconds,
    )}${total > 0 ? `: ${counts}` : ''}.`,
  ];
  if (timeline.gaps.length === 0) {
    parts.push('None completed, so the window holds no restore point.');
  } else if (timeline.breaches.length === 0) {
    parts.push(
      `Since the first completed backup, the RPO of ${rpo} was always met.`,
    );
  } else {
    const closed = timeline.breaches.filter(g => !g.open);
    const open = timeline.breaches.find(g => g.open);
    if (closed.length > 0) {
      parts.push(
        `Between completed backups, the RPO of ${rpo} was missed ${
          closed.length === 1 ? 'once' : `${closed.length} times`
        }: the newest restore point grew ${
          closed.length === 1 ? '' : 'up to '
        }${formatDuration(Math.max(...closed.map(g => g.seconds)))} old.`,
      );
    }
    if (open) {
      parts.push(
        `The newest completed backup started ${formatDuration(
          open.seconds,
        )} ago: over the RPO of ${rpo} now.`,
      );
    }
  }
  const marks = countMarks(timeline.points);
  if (marks) {
    parts.push(
      `Code security when they started: ${marks['known-good']} known-good, ${marks.vulnerable} vulnerable (critical or high findings open), ${marks.unknown} unknown.`,
    );
  }
  return parts.join(' ');
}

function timeLabel(t: number, step: number): string {
  const iso = new Date(t).toISOString();
  return step >= 86400 * 1000 || iso.slice(11, 16) === '00:00'
    ? iso.slice(5, 10)
    : iso.slice(11, 16);
}

function Chart(props: {
  timeline: Timeline;
  policy: EffectiveBackupPolicy;
  label: string;
  describedBy: string;
}) {
  const { timeline, policy, label, describedBy } = props;
  const classes = useStyles();
  const [ref, width] = useChartWidth();
  const plot = plotArea({ width, height: HEIGHT, margin: MARGIN });
  const rpo = policy.rpoSeconds;

  const largest = Math.max(
    rpo * 1.25,
    60,
    ...timeline.gaps.map(g => g.seconds),
    ...timeline.points.map(p => p.sinceGood ?? 0),
  );
  const yTicks = valueTicks(largest);
  const top = yTicks[yTicks.length - 1];
  const span = Math.max(timeline.end - timeline.start, 1);
  const x = (t: number) =>
    plot.left + ((t - timeline.start) / span) * plot.width;
  const y = (seconds: number) => plot.bottom - (seconds / top) * plot.height;
  const xTicks = timeTicks(
    timeline.start,
    timeline.end,
    Math.max(2, Math.floor(plot.width / 90)),
  );
  const xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : span;

  const age = (g: Gap, t: number) => (t - g.from) / 1000;
  // A restore point appears already as old as its backup took, and at the next completion its
  // age drops to that of the next one's data, not to zero.
  const agePath = timeline.gaps
    .map((g, i) => {
      const next = timeline.gaps[i + 1];
      const drop = next ? age(next, g.to) : 0;
      return `M${x(g.availableAt)},${y(age(g, g.availableAt))}L${x(g.to)},${y(
        g.seconds,
      )}${g.open ? '' : `V${y(drop)}`}`;
    })
    .join('');
  // When the RPO was passed, or when the restore point appeared if its backup took longer.
  const overFrom = (g: Gap) => Math.max(g.from + rpo * 1000, g.availableAt);
  const overPath = timeline.breaches
    .map(
      g =>
        `M${x(overFrom(g))},${y(age(g, overFrom(g)))}L${x(g.to)},${y(
          g.seconds,
        )}`,
    )
    .join('');
  // Failures are drawn last, so that a completed backup never hides one.
  const points = [...timeline.points].sort(
    (a, b) => PHASE_GROUPS.indexOf(a.group) - PHASE_GROUPS.indexOf(b.group),
  );

  return (
    <div ref={ref}>
      <ChartSvg
        width={width}
        height={HEIGHT}
        label={label}
        describedBy={describedBy}
      >
        {timeline.breaches.map(g => (
          <rect
            key={`breach-${g.from}`}
            className={classes.breach}
            x={x(overFrom(g))}
            y={plot.top}
            width={x(g.to) - x(overFrom(g))}
            height={plot.height}
          />
        ))}
        <YAxis plot={plot} ticks={yTicks} y={y} label={formatDuration} />
        <XAxis
          plot={plot}
          ticks={xTicks}
          x={x}
          label={t => timeLabel(t, xStep)}
        />
        <AxisLine plot={plot} />
        <path className={classes.age} d={agePath} />
        <path className={classes.overRpo} d={overPath} />
        {rpo > 0 && (
          <>
            <line
              className={classes.rpo}
              x1={plot.left}
              x2={plot.right}
              y1={y(rpo)}
              y2={y(rpo)}
            />
            <text className={classes.rpoLabel} x={plot.left + 4} y={y(rpo) - 5}>
              RPO {formatDuration(rpo)}
            </text>
          </>
        )}
        {points.map(point => (
          <g key={`${point.backup.cluster}/${point.backup.name}`}>
            <title>{pointTitle(point, rpo)}</title>
            {point.backup.security && (
              <SecurityRing
                mark={point.backup.security.mark}
                x={x(point.time)}
                y={y(point.sinceGood ?? 0)}
                className={classes[point.backup.security.mark]}
              />
            )}
            <Marker
              group={point.group}
              x={x(point.time)}
              y={y(point.sinceGood ?? 0)}
              className={`${classes.marker} ${classes[point.group]}`}
            />
          </g>
        ))}
      </ChartSvg>
    </div>
  );
}

function Legend(props: { timeline: Timeline; rpoSeconds: number }) {
  const { timeline, rpoSeconds } = props;
  const classes = useStyles();
  const marks = countMarks(timeline.points);
  const entries: LegendEntry[] = PHASE_GROUPS.filter(
    g => ALWAYS_LISTED.includes(g) || timeline.counts[g] > 0,
  ).map(g => ({
    key: g,
    symbol: (
      <Marker
        group={g}
        x={8}
        y={8}
        className={`${classes.marker} ${classes[g]}`}
      />
    ),
    label: (
      <>
        {GROUP_TEXT[g]} ({timeline.counts[g]})
      </>
    ),
  }));
  entries.push(
    {
      key: 'rpo',
      symbol: <line className={classes.rpo} x1={0} x2={16} y1={8} y2={8} />,
      label: <>RPO {formatDuration(rpoSeconds)}</>,
    },
    {
      key: 'age',
      symbol: <line className={classes.age} x1={0} x2={16} y1={14} y2={2} />,
      label: 'Age of the newest restore point',
    },
  );
  if (timeline.breaches.length > 0) {
    entries.push({
      key: 'over-rpo',
      symbol: (
        <>
          <rect className={classes.breach} width={16} height={16} />
          <line className={classes.overRpo} x1={0} x2={16} y1={12} y2={4} />
        </>
      ),
      label: 'Over the RPO',
    });
  }
  if (marks) {
    for (const mark of MARKS) {
      entries.push({
        key: mark,
        symbol: (
          <>
            <circle cx={8} cy={8} r={2} className={classes.markCentre} />
            {mark === 'vulnerable' ? (
              <g className={classes[mark]}>
                <circle cx={8} cy={8} r={4} />
                <circle cx={8} cy={8} r={7} />
              </g>
            ) : (
              <circle cx={8} cy={8} r={6} className={classes[mark]} />
            )}
          </>
        ),
        label: (
          <>
            {MARK_TEXT[mark]} ({marks[mark]})
          </>
        ),
      });
    }
  }
  return <ChartLegend entries={entries} />;
}

/**
 * The entity's backups over the retention window. Each backup sits at the time it finished, as
 * high as the time since the completed backup before it started: the line is the age of the
 * newest restore point's data, which is as old as its backup's start, not its completion, and
 * whatever rises above the dashed RPO line was a missed RPO. Failed and partially failed backups
 * stand out by colour and shape. A ring around a backup marks how its entity's code stood when it
 * started: known-good, vulnerable or unknown.
 */
export function BackupTimeline(props: BackupTimelineProps) {
  const { backups, policy, generatedAt } = props;
  const windowText = formatDuration(policy.retentionSeconds);
  if (backups.length === 0) {
    return (
      <InfoCard title="Backup timeline">
        <Typography variant="body2">
          No backup of the entity's claims started in the last {windowText} (the
          retention).
        </Typography>
      </InfoCard>
    );
  }
  const timeline = buildTimeline({
    backups,
    generatedAt,
    rpoSeconds: policy.rpoSeconds,
    retentionSeconds: policy.retentionSeconds,
  });
  const summary = summarizeTimeline(timeline, policy);
  return (
    <InfoCard
      title="Backup timeline"
      subheader={`The last ${windowText} (the retention). Each backup is placed at the time it finished and as high as the time since the previous completed backup of any of the entity's claims started, since a restore point holds the data as it was at its start; above the dashed line the RPO was missed.`}
    >
      <Chart
        timeline={timeline}
        policy={policy}
        label={`Backup timeline of the last ${windowText}`}
        describedBy={SUMMARY_ID}
      />
      <Legend timeline={timeline} rpoSeconds={policy.rpoSeconds} />
      <ChartSummary id={SUMMARY_ID}>{summary}</ChartSummary>
      {timeline.undated > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          {plural(timeline.undated, 'backup')} without a start or completion
          time not shown.
        </Typography>
      )}
      {backups.length >= BACKUP_TIMELINE_LIMIT && (
        <Typography variant="caption" color="textSecondary" component="p">
          Only the newest {BACKUP_TIMELINE_LIMIT} backups are shown; older ones
          in the window are left out.
        </Typography>
      )}
    </InfoCard>
  );
}
