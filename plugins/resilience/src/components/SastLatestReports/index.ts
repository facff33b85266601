export { SastLatestReports } from './SastLatestReports';
