export { RunRestoreTestDialog } from './RunRestoreTestDialog';
