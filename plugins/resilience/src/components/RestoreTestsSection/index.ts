export {
  RESTORE_TESTS_REGION,
  RestoreTestsSection,
} from './RestoreTestsSection';
export type { RestoreTestsSectionProps } from './RestoreTestsSection';
