import { ReactNode } from 'react';
import Typography from '@material-ui/core/Typography';
import { useChartStyles } from './styles';

/** One entry of a chart's legend. */
export interface LegendEntry {
  key: string;
  /** What the chart draws, in SVG within a 16 by 16 box. */
  symbol: ReactNode;
  label: ReactNode;
}

/** A chart's legend: a list of symbols, each with what it stands for. */
export function ChartLegend(props: { entries: LegendEntry[] }) {
  const classes = useChartStyles();
  return (
    <ul className={classes.legend} aria-label="Legend">
      {props.entries.map(entry => (
        <Typography
          key={entry.key}
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
            {entry.symbol}
          </svg>
          {entry.label}
        </Typography>
      ))}
    </ul>
  );
}

/** A legend symbol for an area or a bar: a box the width of the symbol. */
export function LegendBox(props: { className: string }) {
  return (
    <rect x={0} y={2} width={16} height={12} className={props.className} />
  );
}

/**
 * The chart in words, under it: the chart's SVG names this paragraph's `id` in its
 * `aria-describedby`, for those who cannot see it.
 */
export function ChartSummary(props: { id: string; children: ReactNode }) {
  const classes = useChartStyles();
  return (
    <Typography variant="body2" className={classes.summary} id={props.id}>
      {props.children}
    </Typography>
  );
}
