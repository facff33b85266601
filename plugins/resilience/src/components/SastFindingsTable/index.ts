export { SastFindingsTable, PAGE_SIZES } from './SastFindingsTable';
