import { phaseGroup } from './phase';

describe('phaseGroup', () => {
  it.each([
    ['Completed', 'completed'],
    ['PartiallyFailed', 'partially-failed'],
    ['Failed', 'failed'],
    ['FailedValidation', 'failed'],
    ['InProgress', 'in-progress'],
    ['WaitingForPluginOperations', 'in-progress'],
    ['Finalizing', 'in-progress'],
    ['Deleting', 'other'],
    ['', 'other'],
  ])('%s → %s', (phase, group) => {
    expect(phaseGroup(phase)).toBe(group);
  });
});
