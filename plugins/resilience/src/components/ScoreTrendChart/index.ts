export { ScoreTrendChart } from './ScoreTrendChart';
export type { ScoreTrendChartProps } from './ScoreTrendChart';
export type { ScoreTrendPoint } from './scoreTrend';
