import { InfoCard } from '@backstage/core-components';
import {
  CertificateSummary,
  EffectiveCertificatePolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import { timeTicks } from '../BackupTimeline/timeline';
import {
  AxisLine,
  ChartLegend,
  ChartSvg,
  ChartSummary,
  LegendBox,
  LegendEntry,
  plotArea,
  useChartWidth,
  XAxis,
} from '../charts';
import { certificateKey, expiryReason, expiryText } from '../certificates';
import { formatAge, formatDuration, formatTime } from '../format';
import {
  buildExpiryTimeline,
  ExpiryBar,
  ExpiryTimeline,
} from './expiryTimeline';

/** Properties of {@link CertificateExpiryTimeline}. */
export interface CertificateExpiryTimelineProps {
  certificates: CertificateSummary[];
  policy: EffectiveCertificatePolicy;
  /** When the response was computed: the "now" of the chart. */
  generatedAt: string;
}

const ROW = 28;
const BAR = 12;
const MARGIN = { top: 20, right: 16, bottom: 28, left: 168 };
const LABEL_CHARACTERS = 24;
const DIAMOND = 5;
// One expiry timeline per page: the tab shows one entity.
const SUMMARY_ID = 'resilience-certificate-timeline-summary';

const useStyles = makeStyles(theme => ({
  label: {
    fill: theme.palette.text.primary,
    fontSize: 12,
    fontFamily: theme.typography.fontFamily,
  },
  valid: { fill: theme.palette.status.ok },
  warnZone: { fill: theme.palette.status.warning },
  failZone: { fill: theme.palette.status.error },
  // An expired certificate is drawn faded, with its end marked: it no longer protects anything.
  expired: { fill: alpha(theme.palette.status.error, 0.35) },
  expiredEnd: { stroke: theme.palette.status.error, strokeWidth: 3 },
  now: {
    stroke: theme.palette.text.primary,
    strokeWidth: 1.5,
    strokeDasharray: '4 3',
  },
  nowLabel: {
    fill: theme.palette.text.primary,
    fontSize: 11,
    fontFamily: theme.typography.fontFamily,
  },
  renewal: {
    fill: theme.palette.status.running,
    stroke: theme.palette.background.paper,
    strokeWidth: 1,
  },
  renewalComputed: {
    fill: theme.palette.background.paper,
    stroke: theme.palette.status.running,
    strokeWidth: 1.5,
  },
}));

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function where(c: CertificateSummary): string {
  return `${c.cluster}/${c.namespace}/${c.name}`;
}

/** What a bar's tooltip (and a screen reader) says about its certificate. */
export function barTitle(
  bar: ExpiryBar,
  policy: EffectiveCertificatePolicy,
  now: number,
): string {
  const c = bar.certificate;
  const left = c.secondsLeft ?? Math.round((bar.to - now) / 1000);
  const lines = [
    `${c.name}: ${expiryText(left)}, ${expiryReason(bar.state, policy)}`,
    `valid ${
      c.notBefore ? formatTime(c.notBefore) : 'from an unknown time'
    } to ${c.notAfter ? formatTime(c.notAfter) : 'an unknown time'}`,
  ];
  if (c.renewalTime) {
    lines.push(
      `renewal ${formatTime(c.renewalTime)}${
        c.renewalTimeComputed ? ' (computed)' : ''
      }`,
    );
  }
  lines.push(
    `${c.managedBy === 'hand' ? 'managed by hand' : 'cert-manager'} · ${
      c.cluster
    } / ${c.namespace}`,
  );
  return lines.join('\n');
}

/** The chart in one paragraph: what it shows at a glance, for those who cannot see it. */
export function summarizeExpiry(
  timeline: ExpiryTimeline,
  policy: EffectiveCertificatePolicy,
): string {
  const { counts, bars, undated, now } = timeline;
  const total = bars.length + undated.length;
  const groups = [
    counts.expired > 0 && `${counts.expired} expired`,
    counts.fail > 0 &&
      `${counts.fail} expiring within ${formatDuration(
        policy.expiryFailureSeconds,
      )}`,
    counts.warn > 0 &&
      `${counts.warn} within ${formatDuration(policy.expiryWarningSeconds)}`,
    counts.pass > 0 && `${counts.pass} with more time left`,
    counts.unknown > 0 && `${counts.unknown} of unknown validity`,
  ].filter(Boolean);
  const parts = [`${plural(total, 'certificate')}: ${groups.join(', ')}.`];
  const next = bars.find(b => b.to > now);
  if (next) {
    parts.push(
      `The next to expire is ${where(next.certificate)}, in ${formatAge(
        Math.floor((next.to - now) / 1000),
      )} (${formatTime(next.certificate.notAfter!)}).`,
    );
  }
  const renewals = bars
    .filter(b => b.renewal !== undefined && b.renewal >= now)
    .sort((a, b) => a.renewal! - b.renewal!);
  if (renewals.length > 0) {
    parts.push(
      `The next renewal is of ${where(
        renewals[0].certificate,
      )}, at ${formatTime(renewals[0].certificate.renewalTime!)}.`,
    );
  }
  const overdue = bars.filter(
    b => b.renewal !== undefined && b.renewal < now && b.to > now,
  );
  if (overdue.length > 0) {
    parts.push(
      `${plural(overdue.length, 'renewal')} overdue: ${overdue
        .map(b => where(b.certificate))
        .join(', ')}.`,
    );
  }
  return parts.join(' ');
}

function shorten(name: string): string {
  return name.length > LABEL_CHARACTERS
    ? `${name.slice(0, LABEL_CHARACTERS - 1)}…`
    : name;
}

function timeLabel(t: number): string {
  return new Date(t).toISOString().slice(5, 10);
}

function Diamond(props: { x: number; y: number; className: string }) {
  const { x, y, className } = props;
  const r = DIAMOND;
  return (
    <path
      d={`M${x},${y - r}L${x + r},${y}L${x},${y + r}L${x - r},${y}Z`}
      className={className}
    />
  );
}

function Chart(props: {
  timeline: ExpiryTimeline;
  policy: EffectiveCertificatePolicy;
  describedBy: string;
}) {
  const { timeline, policy, describedBy } = props;
  const classes = useStyles();
  const [ref, width] = useChartWidth();
  const height = MARGIN.top + timeline.bars.length * ROW + MARGIN.bottom;
  const plot = plotArea({ width, height, margin: MARGIN });
  const { start, end } = timeline;
  const span = Math.max(end - start, 1);
  // Clamped, so that what lies outside the window ends at its edge.
  const x = (t: number) =>
    plot.left +
    ((Math.min(Math.max(t, start), end) - start) / span) * plot.width;
  const xTicks = timeTicks(
    start,
    end,
    Math.max(2, Math.floor(plot.width / 80)),
  );
  const segment = (from: number, to: number, y: number, className: string) =>
    to > from && x(to) > x(from) ? (
      <rect
        x={x(from)}
        y={y - BAR / 2}
        width={x(to) - x(from)}
        height={BAR}
        className={className}
      />
    ) : null;

  return (
    <div ref={ref}>
      <ChartSvg
        width={width}
        height={height}
        label="Certificate expiry timeline"
        describedBy={describedBy}
      >
        <XAxis plot={plot} ticks={xTicks} x={x} label={timeLabel} grid />
        <AxisLine plot={plot} />
        {timeline.bars.map((bar, i) => {
          const y = plot.top + i * ROW + ROW / 2;
          const failFrom = Math.max(bar.from, bar.failFrom);
          const warnFrom = Math.max(bar.from, bar.warnFrom);
          return (
            <g key={certificateKey(bar.certificate)}>
              <title>{barTitle(bar, policy, timeline.now)}</title>
              <text
                className={classes.label}
                x={plot.left - 8}
                y={y}
                textAnchor="end"
                dominantBaseline="middle"
              >
                {shorten(bar.certificate.name)}
              </text>
              {bar.state === 'expired' ? (
                <>
                  {segment(bar.from, bar.to, y, classes.expired)}
                  <line
                    className={classes.expiredEnd}
                    x1={x(bar.to)}
                    x2={x(bar.to)}
                    y1={y - BAR / 2 - 2}
                    y2={y + BAR / 2 + 2}
                  />
                </>
              ) : (
                <>
                  {segment(bar.from, warnFrom, y, classes.valid)}
                  {segment(warnFrom, failFrom, y, classes.warnZone)}
                  {segment(failFrom, bar.to, y, classes.failZone)}
                </>
              )}
              {bar.renewal !== undefined &&
                bar.renewal >= start &&
                bar.renewal <= end && (
                  <Diamond
                    x={x(bar.renewal)}
                    y={y}
                    className={
                      bar.certificate.renewalTimeComputed
                        ? classes.renewalComputed
                        : classes.renewal
                    }
                  />
                )}
            </g>
          );
        })}
        <line
          className={classes.now}
          x1={x(timeline.now)}
          x2={x(timeline.now)}
          y1={plot.top - 4}
          y2={plot.bottom}
        />
        <text
          className={classes.nowLabel}
          x={x(timeline.now)}
          y={plot.top - 8}
          textAnchor="middle"
        >
          now
        </text>
      </ChartSvg>
    </div>
  );
}

function Legend(props: {
  timeline: ExpiryTimeline;
  policy: EffectiveCertificatePolicy;
}) {
  const { timeline, policy } = props;
  const classes = useStyles();
  const entries: LegendEntry[] = [
    {
      key: 'valid',
      symbol: <LegendBox className={classes.valid} />,
      label: 'Valid',
    },
    {
      key: 'warning',
      symbol: <LegendBox className={classes.warnZone} />,
      label: `Less than ${formatDuration(
        policy.expiryWarningSeconds,
      )} left (warning)`,
    },
    {
      key: 'failing',
      symbol: <LegendBox className={classes.failZone} />,
      label: `Less than ${formatDuration(
        policy.expiryFailureSeconds,
      )} left (failing)`,
    },
  ];
  if (timeline.counts.expired > 0) {
    entries.push({
      key: 'expired',
      symbol: (
        <>
          <rect
            x={0}
            y={2}
            width={13}
            height={12}
            className={classes.expired}
          />
          <line className={classes.expiredEnd} x1={14} x2={14} y1={0} y2={16} />
        </>
      ),
      label: 'Expired',
    });
  }
  entries.push({
    key: 'now',
    symbol: <line className={classes.now} x1={8} x2={8} y1={0} y2={16} />,
    label: 'Now',
  });
  if (timeline.bars.some(b => b.renewal !== undefined)) {
    entries.push({
      key: 'renewal',
      symbol: <Diamond x={8} y={8} className={classes.renewal} />,
      label: 'Renewal',
    });
  }
  if (timeline.bars.some(b => b.certificate.renewalTimeComputed)) {
    entries.push({
      key: 'renewal-computed',
      symbol: <Diamond x={8} y={8} className={classes.renewalComputed} />,
      label: 'Renewal, computed as cert-manager would',
    });
  }
  return <ChartLegend entries={entries} />;
}

/**
 * Each certificate's validity as a bar from `notBefore` to `notAfter` around now: the last stretch
 * before the end turns to the warning and then the failure colour as the policy's thresholds are
 * crossed, a diamond marks the next renewal, and a dashed line marks now.
 */
export function CertificateExpiryTimeline(
  props: CertificateExpiryTimelineProps,
) {
  const { certificates, policy, generatedAt } = props;
  if (certificates.length === 0) {
    return (
      <InfoCard title="Certificate expiry">
        <Typography variant="body2">
          No TLS certificate to show: none was found for this entity.
        </Typography>
      </InfoCard>
    );
  }
  const timeline = buildExpiryTimeline({ certificates, policy, generatedAt });
  const summary = summarizeExpiry(timeline, policy);
  return (
    <InfoCard
      title="Certificate expiry"
      subheader="Each certificate from the start to the end of its validity; the dashed line is now."
    >
      {timeline.bars.length > 0 && (
        <>
          <Chart timeline={timeline} policy={policy} describedBy={SUMMARY_ID} />
          <Legend timeline={timeline} policy={policy} />
        </>
      )}
      <ChartSummary id={SUMMARY_ID}>{summary}</ChartSummary>
      {timeline.undated.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          Not shown, since their validity could not be read:{' '}
          {timeline.undated.map(where).join(', ')}.
        </Typography>
      )}
    </InfoCard>
  );
}
