import { ReactNode } from 'react';
import { useChartStyles } from './styles';

/** Where a chart plots, in its SVG's coordinates: inside its margins. */
export interface PlotArea {
  left: number;
  right: number;
  top: number;
  bottom: number;
  width: number;
  height: number;
}

/** The plot area of a chart `width` by `height` with the given margins. */
export function plotArea(options: {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}): PlotArea {
  const { width, height, margin } = options;
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  return {
    left: margin.left,
    right: margin.left + plotWidth,
    top: margin.top,
    bottom: margin.top + plotHeight,
    width: plotWidth,
    height: plotHeight,
  };
}

/** A horizontal grid line at each tick of the y axis, labelled left of the plot. */
export function YAxis(props: {
  plot: PlotArea;
  ticks: number[];
  y: (value: number) => number;
  label: (value: number) => ReactNode;
}) {
  const { plot, ticks, y, label } = props;
  const classes = useChartStyles();
  return (
    <>
      {ticks.map(v => (
        <g key={`y-${v}`}>
          <line
            className={classes.grid}
            x1={plot.left}
            x2={plot.right}
            y1={y(v)}
            y2={y(v)}
          />
          <text
            className={classes.tick}
            x={plot.left - 6}
            y={y(v)}
            textAnchor="end"
            dominantBaseline="middle"
          >
            {label(v)}
          </text>
        </g>
      ))}
    </>
  );
}

/** A label under the plot at each tick of the x axis, with a vertical grid line if `grid`. */
export function XAxis(props: {
  plot: PlotArea;
  ticks: number[];
  x: (value: number) => number;
  label: (value: number) => ReactNode;
  grid?: boolean;
}) {
  const { plot, ticks, x, label, grid } = props;
  const classes = useChartStyles();
  const text = (t: number, key?: string) => (
    <text
      key={key}
      className={classes.tick}
      x={x(t)}
      y={plot.bottom + 16}
      textAnchor="middle"
    >
      {label(t)}
    </text>
  );
  return (
    <>
      {ticks.map(t =>
        grid ? (
          <g key={`x-${t}`}>
            <line
              className={classes.grid}
              x1={x(t)}
              x2={x(t)}
              y1={plot.top}
              y2={plot.bottom}
            />
            {text(t)}
          </g>
        ) : (
          text(t, `x-${t}`)
        ),
      )}
    </>
  );
}

/**
 * The line along the bottom of the plot. Apart from {@link XAxis}, so that a chart can draw it
 * over what it plots.
 */
export function AxisLine(props: { plot: PlotArea }) {
  const { plot } = props;
  const classes = useChartStyles();
  return (
    <line
      className={classes.axis}
      x1={plot.left}
      x2={plot.right}
      y1={plot.bottom}
      y2={plot.bottom}
    />
  );
}
