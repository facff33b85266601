export { ScheduleTable } from './ScheduleTable';
