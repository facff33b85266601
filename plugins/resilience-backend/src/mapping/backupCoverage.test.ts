import { BackupCapture, BackupSelection } from '../database/types';
import {
  backupCapture,
  selectionIncludesPvc,
  snapshotEvidence,
} from './backupCoverage';

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

describe('snapshotEvidence', () => {
  const content = (
    name: string,
    volumeHandle: string,
    readyToUse?: boolean,
  ) => ({
    cluster: 'prod',
    uid: name,
    namespace: '',
    name,
    backupName: 'b',
    volumeHandle,
    readyToUse,
  });
  it.each([
    [
      'a ready snapshot of the volume',
      [content('c1', 'vol-a', true)],
      'vol-a',
      true,
      { kind: 'captured', contentName: 'c1' },
    ],
    [
      'a ready one among others',
      [content('c0', 'vol-b', true), content('c1', 'vol-a', true)],
      'vol-a',
      false,
      { kind: 'captured', contentName: 'c1' },
    ],
    [
      'snapshots of other volumes only',
      [content('c0', 'vol-b', true), content('c2', 'vol-c', true)],
      'vol-a',
      true,
      {
        kind: 'missing',
        how: "it snapshotted 2 other volumes but not this claim's",
      },
    ],
    [
      'a snapshot that never became ready',
      [content('c1', 'vol-a', false)],
      'vol-a',
      true,
      {
        kind: 'missing',
        how: "the snapshot of this claim's volume (c1) never became ready to use",
      },
    ],
    [
      'incomplete evidence',
      [content('c0', 'vol-b', true)],
      'vol-a',
      false,
      { kind: 'none' },
    ],
    [
      'a volume that is not CSI',
      [content('c0', 'vol-b', true)],
      undefined,
      true,
      { kind: 'none' },
    ],
    ['no snapshot contents at all', [], 'vol-a', true, { kind: 'none' }],
  ])('%s', (_, contents, volumeHandle, complete, expected) => {
    expect(snapshotEvidence({ contents, volumeHandle, complete })).toEqual(
      expected,
    );
  });
});
