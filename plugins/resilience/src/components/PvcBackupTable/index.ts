export { PvcBackupTable } from './PvcBackupTable';
