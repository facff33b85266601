import { InfoCard } from '@backstage/core-components';
import {
  CertificateSummary,
  EffectiveCertificatePolicy,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import useMeasure from 'react-use/esm/useMeasure';
import { timeTicks } from '../BackupTimeline/timeline';
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
const FALLBACK_WIDTH = 800;
const LABEL_CHARACTERS = 24;
const DIAMOND = 5;
// One expiry timeline per page: the tab shows one entity.
const SUMMARY_ID = 'resilience-certificate-timeline-summary';

const useStyles = makeStyles(theme => ({
  chart: { display: 'block', width: '100%' },
  axis: { stroke: theme.palette.text.secondary, strokeWidth: 1 },
  grid: { stroke: theme.palette.divider, strokeWidth: 1 },
  tick: {
    fill: theme.palette.text.secondary,
    fontSize: 11,
    fontFamily: theme.typography.fontFamily,
  },
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
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    columnGap: theme.spacing(2),
    rowGap: theme.spacing(0.5),
    listStyle: 'none',
    margin: theme.spacing(1, 0, 0),
    padding: 0,
  },
  legendItem: { display: 'inline-flex', alignItems: 'center' },
  legendSymbol: { marginRight: theme.spacing(0.75), flexShrink: 0 },
  note: { marginTop: theme.spacing(1) },
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
  const [ref, rect] = useMeasure<HTMLDivElement>();
  const width = rect.width > 0 ? rect.width : FALLBACK_WIDTH;
  const height = MARGIN.top + timeline.bars.length * ROW + MARGIN.bottom;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const { start, end } = timeline;
  const span = Math.max(end - start, 1);
  // Clamped, so that what lies outside the window ends at its edge.
  const x = (t: number) =>
    MARGIN.left +
    ((Math.min(Math.max(t, start), end) - start) / span) * plotWidth;
  const xTicks = timeTicks(start, end, Math.max(2, Math.floor(plotWidth / 80)));
  const bottom = height - MARGIN.bottom;
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
      <svg
        className={classes.chart}
        style={{ height }}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-label="Certificate expiry timeline"
        aria-describedby={describedBy}
      >
        {xTicks.map(t => (
          <g key={`x-${t}`}>
            <line
              className={classes.grid}
              x1={x(t)}
              x2={x(t)}
              y1={MARGIN.top}
              y2={bottom}
            />
            <text
              className={classes.tick}
              x={x(t)}
              y={bottom + 16}
              textAnchor="middle"
            >
              {timeLabel(t)}
            </text>
          </g>
        ))}
        <line
          className={classes.axis}
          x1={MARGIN.left}
          x2={MARGIN.left + plotWidth}
          y1={bottom}
          y2={bottom}
        />
        {timeline.bars.map((bar, i) => {
          const y = MARGIN.top + i * ROW + ROW / 2;
          const failFrom = Math.max(bar.from, bar.failFrom);
          const warnFrom = Math.max(bar.from, bar.warnFrom);
          return (
            <g key={certificateKey(bar.certificate)}>
              <title>{barTitle(bar, policy, timeline.now)}</title>
              <text
                className={classes.label}
                x={MARGIN.left - 8}
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
          y1={MARGIN.top - 4}
          y2={bottom}
        />
        <text
          className={classes.nowLabel}
          x={x(timeline.now)}
          y={MARGIN.top - 8}
          textAnchor="middle"
        >
          now
        </text>
      </svg>
    </div>
  );
}

function Legend(props: {
  timeline: ExpiryTimeline;
  policy: EffectiveCertificatePolicy;
}) {
  const { timeline, policy } = props;
  const classes = useStyles();
  const symbol = (children: JSX.Element) => (
    <svg
      width={16}
      height={16}
      viewBox="0 0 16 16"
      aria-hidden="true"
      className={classes.legendSymbol}
    >
      {children}
    </svg>
  );
  const box = (className: string) =>
    symbol(<rect x={0} y={2} width={16} height={12} className={className} />);
  const items: Array<[string, JSX.Element]> = [
    ['Valid', box(classes.valid)],
    [
      `Less than ${formatDuration(policy.expiryWarningSeconds)} left (warning)`,
      box(classes.warnZone),
    ],
    [
      `Less than ${formatDuration(policy.expiryFailureSeconds)} left (failing)`,
      box(classes.failZone),
    ],
  ];
  if (timeline.counts.expired > 0) {
    items.push([
      'Expired',
      symbol(
        <>
          <rect
            x={0}
            y={2}
            width={13}
            height={12}
            className={classes.expired}
          />
          <line className={classes.expiredEnd} x1={14} x2={14} y1={0} y2={16} />
        </>,
      ),
    ]);
  }
  items.push([
    'Now',
    symbol(<line className={classes.now} x1={8} x2={8} y1={0} y2={16} />),
  ]);
  if (timeline.bars.some(b => b.renewal !== undefined)) {
    items.push([
      'Renewal',
      symbol(<Diamond x={8} y={8} className={classes.renewal} />),
    ]);
  }
  if (timeline.bars.some(b => b.certificate.renewalTimeComputed)) {
    items.push([
      'Renewal, computed as cert-manager would',
      symbol(<Diamond x={8} y={8} className={classes.renewalComputed} />),
    ]);
  }
  return (
    <ul className={classes.legend} aria-label="Legend">
      {items.map(([text, sym]) => (
        <Typography
          key={text}
          component="li"
          variant="caption"
          className={classes.legendItem}
        >
          {sym}
          {text}
        </Typography>
      ))}
    </ul>
  );
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
  const classes = useStyles();
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
      <Typography variant="body2" className={classes.note} id={SUMMARY_ID}>
        {summary}
      </Typography>
      {timeline.undated.length > 0 && (
        <Typography variant="caption" color="textSecondary" component="p">
          Not shown, since their validity could not be read:{' '}
          {timeline.undated.map(where).join(', ')}.
        </Typography>
      )}
    </InfoCard>
  );
}
