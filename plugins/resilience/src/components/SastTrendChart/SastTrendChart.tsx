import { InfoCard } from '@backstage/core-components';
import {
  SastSeverity,
  SastTrendPoint,
} from '@resilience-for-backstage/plugin-resilience-common';
import { alpha, makeStyles } from '@material-ui/core/styles';
import { timeTicks } from '../BackupTimeline/timeline';
import {
  AxisLine,
  ChartLegend,
  ChartSvg,
  ChartSummary,
  LegendBox,
  plotArea,
  useChartWidth,
  XAxis,
  YAxis,
} from '../charts';
import { SEVERITY_TEXT } from '../sast';
import { severityColor } from '../SeverityChip';
import {
  countTicks,
  stackTrend,
  summarizeTrend,
  TrendLayer,
} from './sastTrend';

/** Properties of {@link SastTrendChart}. */
export interface SastTrendChartProps {
  /** Open findings at the end of each day, oldest first. */
  trend: SastTrendPoint[];
  /** The branch the findings are of. */
  branch: string;
}

const HEIGHT = 220;
const MARGIN = { top: 12, right: 16, bottom: 28, left: 44 };
// One trend per page: the tab shows one entity.
const SUMMARY_ID = 'resilience-sast-trend-summary';

const useStyles = makeStyles(theme => {
  const band = (severity: SastSeverity) => ({
    fill: alpha(severityColor(theme, severity), 0.7),
    stroke: severityColor(theme, severity),
    strokeWidth: 1.5,
    strokeLinejoin: 'round' as const,
  });
  return {
    critical: band('critical'),
    high: band('high'),
    medium: band('medium'),
    low: band('low'),
    none: band('none'),
  };
});

function layerTitle(layer: TrendLayer, trend: SastTrendPoint[]): string {
  const values = trend.map(p => p.open[layer.severity]);
  return `${SEVERITY_TEXT[layer.severity]}: ${
    values[values.length - 1]
  } open now, at most ${Math.max(...values)}`;
}

function Chart(props: { trend: SastTrendPoint[]; describedBy: string }) {
  const { trend, describedBy } = props;
  const classes = useStyles();
  const [ref, width] = useChartWidth();
  const plot = plotArea({ width, height: HEIGHT, margin: MARGIN });
  const stacked = stackTrend(trend);
  const { times } = stacked;
  const start = times[0];
  const end = times[times.length - 1];
  const yTicks = countTicks(stacked.max);
  const top = yTicks[yTicks.length - 1];
  const x = (t: number) =>
    plot.left + ((t - start) / Math.max(end - start, 1)) * plot.width;
  const y = (n: number) => plot.bottom - (n / top) * plot.height;
  const xTicks = timeTicks(
    start,
    end,
    Math.max(2, Math.floor(plot.width / 80)),
  );
  const area = (layer: TrendLayer) => {
    const upper = times.map((t, i) => `${x(t)},${y(layer.upper[i])}`);
    const lower = times.map((t, i) => `${x(t)},${y(layer.lower[i])}`).reverse();
    return `M${upper.join('L')}L${lower.join('L')}Z`;
  };
  return (
    <div ref={ref}>
      <ChartSvg
        width={width}
        height={HEIGHT}
        label="Open findings trend"
        describedBy={describedBy}
      >
        <YAxis plot={plot} ticks={yTicks} y={y} label={v => v} />
        <XAxis
          plot={plot}
          ticks={xTicks}
          x={x}
          label={t => new Date(t).toISOString().slice(5, 10)}
        />
        {stacked.layers.map(layer => (
          <g key={layer.severity}>
            <title>{layerTitle(layer, trend)}</title>
            <path className={classes[layer.severity]} d={area(layer)} />
          </g>
        ))}
        {/* Over the bands, whose outlines would hide it. */}
        <AxisLine plot={plot} />
      </ChartSvg>
    </div>
  );
}

/**
 * The open findings of a branch at the end of each day, stacked by severity with critical at the
 * bottom, so that the height is the total and the lowest bands are the most urgent.
 */
export function SastTrendChart(props: SastTrendChartProps) {
  const { trend, branch } = props;
  const classes = useStyles();
  const severities = stackTrend(trend).layers.map(l => l.severity);
  return (
    <InfoCard
      title="Open findings over time"
      subheader={`Findings open on ${branch} at the end of each day, stacked by severity.`}
      variant="gridItem"
    >
      {trend.length > 0 && <Chart trend={trend} describedBy={SUMMARY_ID} />}
      {severities.length > 0 && (
        <ChartLegend
          entries={severities.map(s => ({
            key: s,
            symbol: <LegendBox className={classes[s]} />,
            label: SEVERITY_TEXT[s],
          }))}
        />
      )}
      <ChartSummary id={SUMMARY_ID}>{summarizeTrend(trend)}</ChartSummary>
    </InfoCard>
  );
}
