import { BackupCapture, BackupSelection } from '../database/types';
import {
  backupCapture,
  selectionIncludesPvc,
  volumeEvidence,
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

describe('volumeEvidence', () => {
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
  const upload = (name: string, sourcePvc: string, phase: string) => ({
    cluster: 'prod',
    uid: name,
    namespace: 'velero',
    name,
    backupName: 'b',
    sourceNamespace: 'payments',
    sourcePvc,
    phase,
  });
  const claim = {
    namespace: 'payments',
    name: 'data-0',
    volumeHandle: 'vol-a',
  };
  const all = { snapshotsComplete: true, uploadsComplete: true };
  it.each([
    [
      'a ready snapshot of the volume',
      { contents: [content('c1', 'vol-a', true)], uploads: [] },
      all,
      claim,
      {
        kind: 'captured',
        what: "a ready CSI snapshot of this claim's volume (VolumeSnapshotContent c1)",
      },
    ],
    [
      'a completed upload of the claim',
      { contents: [], uploads: [upload('u1', 'data-0', 'Completed')] },
      all,
      claim,
      {
        kind: 'captured',
        what: "the data of this claim's volume, moved to the backup storage (DataUpload u1)",
      },
    ],
    [
      'a ready snapshot even when evidence is incomplete',
      { contents: [content('c1', 'vol-a', true)], uploads: [] },
      { snapshotsComplete: false, uploadsComplete: false },
      claim,
      {
        kind: 'captured',
        what: "a ready CSI snapshot of this claim's volume (VolumeSnapshotContent c1)",
      },
    ],
    [
      'snapshots of other volumes only',
      {
        contents: [content('c0', 'vol-b', true), content('c2', 'vol-c', true)],
        uploads: [],
      },
      all,
      claim,
      {
        kind: 'missing',
        how: "it captured 2 other volumes but not this claim's",
      },
    ],
    [
      'uploads of other claims only',
      { contents: [], uploads: [upload('u0', 'other', 'Completed')] },
      all,
      claim,
      {
        kind: 'missing',
        how: "it captured 1 other volume but not this claim's",
      },
    ],
    [
      'a snapshot that never became ready',
      { contents: [content('c1', 'vol-a', false)], uploads: [] },
      all,
      claim,
      {
        kind: 'missing',
        how: "the snapshot of this claim's volume (c1) never became ready to use",
      },
    ],
    [
      'a failed upload',
      { contents: [], uploads: [upload('u1', 'data-0', 'Failed')] },
      all,
      claim,
      {
        kind: 'missing',
        how: "the upload of this claim's data (u1) ended Failed",
      },
    ],
    [
      'other snapshots, but snapshot sources incomplete',
      { contents: [content('c0', 'vol-b', true)], uploads: [] },
      { snapshotsComplete: false, uploadsComplete: true },
      claim,
      { kind: 'none' },
    ],
    [
      'other uploads, but uploads not collected',
      { contents: [], uploads: [upload('u0', 'other', 'Completed')] },
      { snapshotsComplete: true, uploadsComplete: false },
      claim,
      { kind: 'none' },
    ],
    [
      'a volume that is not CSI',
      { contents: [content('c0', 'vol-b', true)], uploads: [] },
      all,
      { namespace: 'payments', name: 'data-0' },
      { kind: 'none' },
    ],
    [
      'no records at all',
      { contents: [], uploads: [] },
      all,
      claim,
      { kind: 'none' },
    ],
  ])('%s', (_, records, completeness, forClaim, expected) => {
    expect(
      volumeEvidence({ claim: forClaim, ...records, ...completeness }),
    ).toEqual(expected);
  });
});
