import { useId } from 'react';
import { makeStyles } from '@material-ui/core/styles';
import {
  AxisLine,
  ChartSvg,
  ChartSummary,
  plotArea,
  useChartWidth,
  XAxis,
  YAxis,
} from '../charts';
import {
  dayTicks,
  dayTime,
  ScoreTrendPoint,
  scoreSegments,
  summarizeScoreTrend,
} from './scoreTrend';

/** Properties of {@link ScoreTrendChart}. */
export interface ScoreTrendChartProps {
  /** One point a day, oldest first. */
  points: ScoreTrendPoint[];
  /** The chart's accessible name, for example `Score trend`. */
  label: string;
  /** What is plotted, in the summary: `the score`, `the mean score`. */
  what: string;
  /** The chart's height in pixels (default 180). */
  height?: number;
}

const MARGIN = { top: 10, right: 16, bottom: 28, left: 36 };
// Scores run from 0 to 100 whatever the data, so that two charts read alike.
const Y_TICKS = [0, 25, 50, 75, 100];

const useStyles = makeStyles(theme => ({
  line: {
    fill: 'none',
    stroke: theme.palette.primary.main,
    strokeWidth: 2,
    strokeLinejoin: 'round',
  },
  dot: { fill: theme.palette.primary.main },
}));

/**
 * A score from 0 to 100 over days: a line broken where a day has no score, a dot for a day
 * standing alone, and under it the trend in words, which also describes the chart.
 */
export function ScoreTrendChart(props: ScoreTrendChartProps) {
  const { points, label, what, height = 180 } = props;
  const classes = useStyles();
  const summaryId = useId();
  const [ref, width] = useChartWidth();
  const plot = plotArea({ width, height, margin: MARGIN });
  const times = points.map(p => dayTime(p.date));
  const start = Math.min(...times);
  // A single day is drawn in the middle of a day's width rather than on the axis.
  const end = Math.max(Math.max(...times), start + 86400 * 1000);
  const x = (t: number) =>
    plot.left + ((t - start) / Math.max(end - start, 1)) * plot.width;
  const y = (v: number) => plot.bottom - (v / 100) * plot.height;
  const segments = scoreSegments(points);
  return (
    <div ref={ref}>
      {points.length > 0 && (
        <ChartSvg
          width={width}
          height={height}
          label={label}
          describedBy={summaryId}
        >
          <YAxis plot={plot} ticks={Y_TICKS} y={y} label={v => v} />
          <XAxis
            plot={plot}
            ticks={dayTicks({
              start,
              end,
              most: Math.max(2, Math.floor(plot.width / 80)),
            })}
            x={x}
            label={t => new Date(t).toISOString().slice(5, 10)}
          />
          {segments.map(segment =>
            segment.length === 1 ? (
              <circle
                key={segment[0].time}
                className={classes.dot}
                cx={x(segment[0].time)}
                cy={y(segment[0].score)}
                r={3}
              />
            ) : (
              <path
                key={segment[0].time}
                className={classes.line}
                d={`M${segment
                  .map(p => `${x(p.time)},${y(p.score)}`)
                  .join('L')}`}
              />
            ),
          )}
          <AxisLine plot={plot} />
        </ChartSvg>
      )}
      <ChartSummary id={summaryId}>
        {summarizeScoreTrend({ points, what })}
      </ChartSummary>
    </div>
  );
}
