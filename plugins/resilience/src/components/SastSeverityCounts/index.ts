export { SastSeverityCounts } from './SastSeverityCounts';
