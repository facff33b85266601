export { AxisLine, plotArea, XAxis, YAxis } from './Axes';
export type { PlotArea } from './Axes';
export { ChartSvg } from './ChartSvg';
export { ChartLegend, ChartSummary, LegendBox } from './ChartLegend';
export type { LegendEntry } from './ChartLegend';
export { useChartWidth } from './useChartWidth';
