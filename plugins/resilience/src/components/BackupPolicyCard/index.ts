export { BackupPolicyCard } from './BackupPolicyCard';
