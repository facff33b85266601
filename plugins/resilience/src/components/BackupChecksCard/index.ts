export { BackupChecksCard } from './BackupChecksCard';
