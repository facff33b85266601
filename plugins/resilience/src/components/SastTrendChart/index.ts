export { SastTrendChart } from './SastTrendChart';
