export { ScorecardOverview } from './ScorecardOverview';
