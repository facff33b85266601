import { ReactNode } from 'react';
import { useChartStyles } from './styles';

/**
 * A chart's SVG, `width` by `height` pixels in its coordinates: an image named by `label` and
 * described by the summary whose id is `describedBy`.
 */
export function ChartSvg(props: {
  width: number;
  height: number;
  label: string;
  describedBy: string;
  children: ReactNode;
}) {
  const { width, height, label, describedBy, children } = props;
  const classes = useChartStyles();
  return (
    <svg
      className={classes.chart}
      style={{ height }}
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-label={label}
      aria-describedby={describedBy}
    >
      {children}
    </svg>
  );
}
