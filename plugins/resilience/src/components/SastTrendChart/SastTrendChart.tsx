import { InfoCard } from '@backstage/core-components';
import {
  SastSeverity,
  SastTrendPoint,
} from '@resilience-for-backstage/plugin-resilience-common';
import Typography from '@material-ui/core/Typography';
import { alpha, makeStyles } from '@material-ui/core/styles';
import useMeasure from 'react-use/esm/useMeasure';
import { timeTicks } from '../BackupTimeline/timeline';
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
const FALLBACK_WIDTH = 800;
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
    chart: { display: 'block', width: '100%', height: HEIGHT },
    axis: { stroke: theme.palette.text.secondary, strokeWidth: 1 },
    grid: { stroke: theme.palette.divider, strokeWidth: 1 },
    tick: {
      fill: theme.palette.text.secondary,
      fontSize: 11,
      fontFamily: theme.typography.fontFamily,
    },
    critical: band('critical'),
    high: band('high'),
    medium: band('medium'),
    low: band('low'),
    none: band('none'),
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
  const [ref, rect] = useMeasure<HTMLDivElement>();
  const width = rect.width > 0 ? rect.width : FALLBACK_WIDTH;
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const stacked = stackTrend(trend);
  const { times } = stacked;
  const start = times[0];
  const end = times[times.length - 1];
  const yTicks = countTicks(stacked.max);
  const top = yTicks[yTicks.length - 1];
  const x = (t: number) =>
    MARGIN.left + ((t - start) / Math.max(end - start, 1)) * plotWidth;
  const y = (n: number) => MARGIN.top + plotHeight - (n / top) * plotHeight;
  const xTicks = timeTicks(start, end, Math.max(2, Math.floor(plotWidth / 80)));
  const area = (layer: TrendLayer) => {
    const upper = times.map((t, i) => `${x(t)},${y(layer.upper[i])}`);
    const lower = times.map((t, i) => `${x(t)},${y(layer.lower[i])}`).reverse();
    return `M${upper.join('L')}L${lower.join('L')}Z`;
  };
  return (
    <div ref={ref}>
      <svg
        className={classes.chart}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label="Open findings trend"
        aria-describedby={describedBy}
      >
        {yTicks.map(v => (
          <g key={`y-${v}`}>
            <line
              className={classes.grid}
              x1={MARGIN.left}
              x2={MARGIN.left + plotWidth}
              y1={y(v)}
              y2={y(v)}
            />
            <text
              className={classes.tick}
              x={MARGIN.left - 6}
              y={y(v)}
              textAnchor="end"
              dominantBaseline="middle"
            >
              {v}
            </text>
          </g>
        ))}
        {xTicks.map(t => (
          <text
            key={`x-${t}`}
            className={classes.tick}
            x={x(t)}
            y={HEIGHT - MARGIN.bottom + 16}
            textAnchor="middle"
          >
            {new Date(t).toISOString().slice(5, 10)}
          </text>
        ))}
        {stacked.layers.map(layer => (
          <g key={layer.severity}>
            <title>{layerTitle(layer, trend)}</title>
            <path className={classes[layer.severity]} d={area(layer)} />
          </g>
        ))}
        <line
          className={classes.axis}
          x1={MARGIN.left}
          x2={MARGIN.left + plotWidth}
          y1={y(0)}
          y2={y(0)}
        />
      </svg>
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
        <ul className={classes.legend} aria-label="Legend">
          {severities.map(s => (
            <Typography
              key={s}
              component="li"
              variant="caption"
              className={classes.legendItem}
            >
              <svg
                width={16}
                height={16}
                viewBox="0 0 16 16"
                aria-hidden="true"
                className={classes.legendSymbol}
              >
                <rect
                  x={0}
                  y={2}
                  width={16}
                  height={12}
                  className={classes[s]}
                />
              </svg>
              {SEVERITY_TEXT[s]}
            </Typography>
          ))}
        </ul>
      )}
      <Typography variant="body2" className={classes.note} id={SUMMARY_ID}>
        {summarizeTrend(trend)}
      </Typography>
    </InfoCard>
  );
}
