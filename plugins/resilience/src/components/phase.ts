/** How the views group Velero's backup phases. */
export type PhaseGroup =
  | 'completed'
  | 'partially-failed'
  | 'failed'
  | 'in-progress'
  | 'other';

/** The groups in the order they are drawn and listed: failures last, so that they lie on top. */
export const PHASE_GROUPS: PhaseGroup[] = [
  'completed',
  'in-progress',
  'other',
  'partially-failed',
  'failed',
];

// Velero's phases of a backup that has not finished yet.
const IN_PROGRESS = new Set([
  'New',
  'InProgress',
  'WaitingForPluginOperations',
  'WaitingForPluginOperationsPartiallyFailed',
  'Finalizing',
  'FinalizingPartiallyFailed',
]);

/** The group of a Velero backup phase; only `Completed` is a good restore point. */
export function phaseGroup(phase: string): PhaseGroup {
  switch (phase) {
    case 'Completed':
      return 'completed';
    case 'PartiallyFailed':
      return 'partially-failed';
    case 'Failed':
    case 'FailedValidation':
      return 'failed';
    default:
      return IN_PROGRESS.has(phase) ? 'in-progress' : 'other';
  }
}
