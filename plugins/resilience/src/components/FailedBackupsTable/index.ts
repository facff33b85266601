export { FailedBackupsTable } from './FailedBackupsTable';
