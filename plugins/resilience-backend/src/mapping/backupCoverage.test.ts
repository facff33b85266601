import { BackupCapture, BackupSelection } from '../database/types';
import { backupCapture, selectionIncludesPvc } from './backupCoverage';

const pvc = { namespace: 'payments', labels: { app: 'ledger' } };

describe('selectionIncludesPvc', () => {
  it.each<[string, BackupSelection, boolean]>([
    ['an empty selection (the whole cluster)', {}, true],
    ['its namespace', { includedNamespaces: ['payments'] }, true],
    ['all namespaces', { includedNamespaces: ['*'] }, true],
    ['a namespace glob', { includedNamespaces: ['pay*'] }, true],
    ['another namespace', { includedNamespaces: ['search'] }, false],
    ['its namespace excluded', { excludedNamespaces: ['payments'] }, false],
    [
      'included then excluded by glob',
      { includedNamespaces: ['*'], excludedNamespaces: ['pay?ents'] },
      false,
    ],
    ['resources naming pvc', { includedResources: ['pvc', 'pods'] }, true],
    ['resources without pvcs', { includedResources: ['deployments'] }, false],
    ['pvcs excluded', { excludedResources: ['persistentvolumeclaims'] }, false],
    ['every resource excluded', { excludedResources: ['*'] }, false],
    [
      'namespace-scoped resources without pvcs',
      { includedNamespaceScopedResources: ['configmaps'] },
      false,
    ],
    [
      'a matching label selector',
      { labelSelector: { matchLabels: { app: 'ledger' } } },
      true,
    ],
    [
      'a label selector that does not match',
      { labelSelector: { matchLabels: { app: 'api' } } },
      false,
    ],
    [
      'one of several or-selectors matching',
      {
        orLabelSelectors: [
          { matchLabels: { app: 'api' } },
          {
            matchExpressions: [
              { key: 'app', operator: 'In', values: ['ledger'] },
            ],
          },
        ],
      },
      true,
    ],
    [
      'no or-selector matching',
      { orLabelSelectors: [{ matchLabels: { app: 'api' } }] },
      false,
    ],
  ])('%s → %s', (_, selection, expected) => {
    expect(selectionIncludesPvc(selection, pvc)).toBe(expected);
  });
});

describe('backupCapture', () => {
  const none: BackupCapture = {
    volumeSnapshotsCompleted: 0,
    csiVolumeSnapshotsCompleted: 0,
    itemOperationsCompleted: 0,
  };
  it.each<[string, Partial<BackupCapture>, boolean, RegExp]>([
    [
      'completed CSI snapshots',
      { csiVolumeSnapshotsCompleted: 2 },
      true,
      /^2 volume snapshots or data operations completed$/,
    ],
    [
      'a native snapshot',
      { volumeSnapshotsCompleted: 1 },
      true,
      /^1 volume snapshot or data operation completed$/,
    ],
    [
      'item operations (CSI through plugins, data movement)',
      { itemOperationsCompleted: 3 },
      true,
      /^3 volume snapshots/,
    ],
    [
      'file-system backup by default',
      { defaultVolumesToFsBackup: true },
      true,
      /defaultVolumesToFsBackup/,
    ],
    [
      'snapshots switched off',
      { snapshotVolumes: false },
      false,
      /snapshotVolumes is false/,
    ],
    [
      'nothing completed',
      {},
      false,
      /no volume snapshot or data operation completed/,
    ],
    [
      'file-system backup switched off',
      { defaultVolumesToFsBackup: false },
      false,
      /no file-system backup/,
    ],
  ])('%s → captured %s', (_, capture, captured, how) => {
    const verdict = backupCapture({ ...none, ...capture });
    expect(verdict.captured).toBe(captured);
    expect(verdict.how).toMatch(how);
  });
});
