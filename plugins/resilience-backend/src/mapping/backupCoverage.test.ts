import {
  BackupCapture,
  BackupSelection,
  PodFact,
  PodVolumeBackupFact,
} from '../database/types';
import {
  backupCapture,
  CaptureVerdict,
  fileSystemBackupOfClaim,
  podVolumeBackupOwner,
  PvcInclusion,
  pvcInclusion,
  volumeEvidence,
} from './backupCoverage';

const pvc = {
  namespace: 'payments',
  name: 'data-ledger-0',
  labels: { app: 'ledger' },
};

function pod(name: string, overrides: Partial<PodFact> = {}): PodFact {
  return {
    cluster: 'prod',
    uid: `uid-${name}`,
    namespace: 'payments',
    name,
    labels: { app: 'ledger-api', tier: 'critical' },
    phase: 'Running',
    backupVolumes: [],
    backupVolumesExcludes: [],
    claims: { data: 'data-ledger-0', cache: 'ledger-cache' },
    ...overrides,
  };
}

describe('pvcInclusion', () => {
  const byClaim: PvcInclusion = { through: 'claim' };
  it.each<[string, BackupSelection, PvcInclusion | undefined]>([
    ['an empty selection (the whole cluster)', {}, byClaim],
    ['its namespace', { includedNamespaces: ['payments'] }, byClaim],
    ['all namespaces', { includedNamespaces: ['*'] }, byClaim],
    ['a namespace glob', { includedNamespaces: ['pay*'] }, byClaim],
    ['another namespace', { includedNamespaces: ['search'] }, undefined],
    ['its namespace excluded', { excludedNamespaces: ['payments'] }, undefined],
    [
      'included then excluded by glob',
      { includedNamespaces: ['*'], excludedNamespaces: ['pay?ents'] },
      undefined,
    ],
    ['resources naming pvc', { includedResources: ['pvc', 'pods'] }, byClaim],
    [
      'resources without pvcs',
      { includedResources: ['deployments'] },
      undefined,
    ],
    [
      'pvcs excluded',
      { excludedResources: ['persistentvolumeclaims'] },
      undefined,
    ],
    ['every resource excluded', { excludedResources: ['*'] }, undefined],
    [
      'namespace-scoped resources without pvcs',
      { includedNamespaceScopedResources: ['configmaps'] },
      undefined,
    ],
    [
      'a matching label selector',
      { labelSelector: { matchLabels: { app: 'ledger' } } },
      byClaim,
    ],
    [
      'a label selector that does not match',
      { labelSelector: { matchLabels: { app: 'api' } } },
      undefined,
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
      byClaim,
    ],
    [
      'no or-selector matching',
      { orLabelSelectors: [{ matchLabels: { app: 'api' } }] },
      undefined,
    ],
  ])('by the claim alone: %s', (_, selection, expected) => {
    expect(pvcInclusion({ selection, claim: pvc, pods: [] })).toEqual(expected);
  });

  const critical = { labelSelector: { matchLabels: { tier: 'critical' } } };
  it.each<[string, BackupSelection, PodFact[], PvcInclusion | undefined]>([
    [
      'a selected pod that mounts the claim brings it in',
      critical,
      [pod('ledger-api-0')],
      { through: 'pod', pod: 'ledger-api-0' },
    ],
    [
      'an or-selector selecting the pod',
      {
        orLabelSelectors: [
          { matchLabels: { app: 'x' } },
          critical.labelSelector,
        ],
      },
      [pod('ledger-api-0')],
      { through: 'pod', pod: 'ledger-api-0' },
    ],
    [
      'the first of several selected pods is named',
      critical,
      [
        pod('web-0', { claims: { w: 'web' } }),
        pod('ledger-api-1'),
        pod('ledger-api-2'),
      ],
      { through: 'pod', pod: 'ledger-api-1' },
    ],
    [
      'a selected pod that mounts another claim',
      critical,
      [pod('ledger-api-0', { claims: { data: 'data-ledger-1' } })],
      undefined,
    ],
    [
      'a pod whose labels are not selected',
      critical,
      [pod('ledger-api-0', { labels: { tier: 'batch' } })],
      undefined,
    ],
    [
      'a selected pod of another namespace mounting a claim of the same name',
      critical,
      [pod('ledger-api-0', { namespace: 'staging' })],
      undefined,
    ],
    [
      'pods left out by the resource filter',
      { ...critical, includedResources: ['persistentvolumeclaims'] },
      [pod('ledger-api-0')],
      undefined,
    ],
    [
      'pods excluded by the resource filter',
      { ...critical, excludedNamespaceScopedResources: ['pods'] },
      [pod('ledger-api-0')],
      undefined,
    ],
    [
      'claims excluded by the resource filter, even through a pod',
      { ...critical, excludedResources: ['pvc'] },
      [pod('ledger-api-0')],
      undefined,
    ],
    [
      'a pod labelled velero.io/exclude-from-backup',
      critical,
      [
        pod('ledger-api-0', {
          labels: { tier: 'critical', 'velero.io/exclude-from-backup': 'true' },
        }),
      ],
      undefined,
    ],
    [
      "the claim's namespace excluded, even through a pod",
      { ...critical, excludedNamespaces: ['payments'] },
      [pod('ledger-api-0')],
      undefined,
    ],
  ])('through pods: %s', (_, selection, pods, expected) => {
    expect(pvcInclusion({ selection, claim: pvc, pods })).toEqual(expected);
  });

  it('never includes a claim labelled velero.io/exclude-from-backup, by labels or through a pod', () => {
    const excluded = {
      ...pvc,
      labels: { app: 'ledger', 'velero.io/exclude-from-backup': 'true' },
    };
    expect(pvcInclusion({ selection: {}, claim: excluded, pods: [] })).toBe(
      undefined,
    );
    expect(
      pvcInclusion({
        selection: critical,
        claim: excluded,
        pods: [pod('ledger-api-0')],
      }),
    ).toBe(undefined);
  });
});

describe('fileSystemBackupOfClaim', () => {
  const claim = { namespace: 'payments', name: 'data-ledger-0' };
  it.each<
    [string, boolean | undefined, BackupSelection, PodFact[], CaptureVerdict]
  >([
    [
      "a running pod that opts the claim's volume in",
      undefined,
      {},
      [pod('ledger-0', { backupVolumes: ['cache', 'data'] })],
      {
        captured: true,
        how: "pod ledger-0 opts the claim's volume data into file-system backup (backup.velero.io/backup-volumes)",
      },
    ],
    [
      'opt-in of other volumes only',
      false,
      {},
      [pod('ledger-0', { backupVolumes: ['cache'] })],
      { captured: false, how: 'no file-system backup was requested' },
    ],
    [
      'opt-in names are not trimmed, as in Velero',
      undefined,
      {},
      [pod('ledger-0', { backupVolumes: ['cache', ' data'] })],
      { captured: false, how: 'no file-system backup was requested' },
    ],
    [
      'no pod mounts the claim, without default file-system backup',
      undefined,
      {},
      [],
      { captured: false, how: 'no file-system backup was requested' },
    ],
    [
      'opted in, but the pod is not running',
      undefined,
      {},
      [pod('ledger-0', { backupVolumes: ['data'], phase: 'Pending' })],
      {
        captured: false,
        how: "pod ledger-0 opts the claim's volume data into file-system backup (backup.velero.io/backup-volumes), but that pod is Pending, and Velero backs up only running pods' volumes",
      },
    ],
    [
      'opted in, but the backup does not select the pod',
      undefined,
      { labelSelector: { matchLabels: { tier: 'batch' } } },
      [pod('ledger-0', { backupVolumes: ['data'] })],
      {
        captured: false,
        how: "pod ledger-0 opts the claim's volume data into file-system backup (backup.velero.io/backup-volumes), but the backup does not include that pod",
      },
    ],
    [
      'one of two pods opted in and running',
      undefined,
      {},
      [
        pod('ledger-0', { backupVolumes: ['data'], phase: 'Failed' }),
        pod('ledger-1', { backupVolumes: ['data'] }),
      ],
      {
        captured: true,
        how: "pod ledger-1 opts the claim's volume data into file-system backup (backup.velero.io/backup-volumes)",
      },
    ],
    [
      'by default, a running pod that mounts the claim',
      true,
      {},
      [pod('ledger-0', { backupVolumesExcludes: ['cache'] })],
      {
        captured: true,
        how: 'file-system backup of pod volumes was requested (defaultVolumesToFsBackup) and pod ledger-0 mounts the claim as volume data',
      },
    ],
    [
      "by default, but the pod excludes the claim's volume",
      true,
      {},
      [
        pod('ledger-0', {
          backupVolumesExcludes: ['data'],
          backupVolumes: ['data'],
        }),
      ],
      {
        captured: false,
        how: "file-system backup of pod volumes was requested (defaultVolumesToFsBackup), but pod ledger-0 excludes the claim's volume data (backup.velero.io/backup-volumes-excludes)",
      },
    ],
    [
      'by default, but no pod mounts the claim',
      true,
      {},
      [pod('web-0', { claims: { w: 'web' } })],
      {
        captured: false,
        how: 'file-system backup of pod volumes was requested (defaultVolumesToFsBackup), but no pod mounts the claim',
      },
    ],
    [
      'by default, but pods are not backed up',
      true,
      { includedResources: ['persistentvolumeclaims', 'persistentvolumes'] },
      [pod('ledger-0')],
      {
        captured: false,
        how: 'file-system backup of pod volumes was requested (defaultVolumesToFsBackup) and pod ledger-0 mounts the claim as volume data, but the backup does not include that pod',
      },
    ],
    [
      'a pod of another namespace is not looked at',
      true,
      {},
      [pod('ledger-0', { namespace: 'staging' })],
      {
        captured: false,
        how: 'file-system backup of pod volumes was requested (defaultVolumesToFsBackup), but no pod mounts the claim',
      },
    ],
  ])('%s', (_, defaultVolumesToFsBackup, selection, pods, expected) => {
    expect(
      fileSystemBackupOfClaim({
        selection,
        defaultVolumesToFsBackup,
        claim,
        pods,
      }),
    ).toEqual(expected);
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

  const optedIn = {
    captured: true,
    how: "pod ledger-0 opts the claim's volume data into file-system backup (backup.velero.io/backup-volumes)",
  };
  const excluded = {
    captured: false,
    how: "file-system backup of pod volumes was requested (defaultVolumesToFsBackup), but pod ledger-0 excludes the claim's volume data (backup.velero.io/backup-volumes-excludes)",
  };
  it.each<[string, Partial<BackupCapture>, CaptureVerdict, CaptureVerdict]>([
    ['opt-in file-system backup, seen through the pods', {}, optedIn, optedIn],
    [
      'a volume left out of file-system backup by default',
      { defaultVolumesToFsBackup: true },
      excluded,
      {
        captured: false,
        how: `no volume snapshot or data operation completed and ${excluded.how}`,
      },
    ],
    [
      'a volume left out of file-system backup, with snapshots switched off',
      { defaultVolumesToFsBackup: true, snapshotVolumes: false },
      excluded,
      { captured: false, how: `snapshotVolumes is false and ${excluded.how}` },
    ],
    [
      'a volume left out of file-system backup, which snapshots may have taken',
      { defaultVolumesToFsBackup: true, csiVolumeSnapshotsCompleted: 1 },
      excluded,
      {
        captured: true,
        how: '1 volume snapshot or data operation completed',
      },
    ],
  ])('%s', (_, capture, fileSystem, expected) => {
    expect(backupCapture({ ...none, ...capture }, fileSystem)).toEqual(
      expected,
    );
  });
});

describe('podVolumeBackupOwner', () => {
  const claim = {
    uid: 'uid-claim',
    namespace: 'payments',
    name: 'data-ledger-0',
  };
  const record = (
    overrides: Partial<PodVolumeBackupFact> = {},
  ): PodVolumeBackupFact => ({
    cluster: 'prod',
    uid: 'pvb',
    namespace: 'velero',
    name: 'daily-1-abcde',
    backupName: 'daily-1',
    podNamespace: 'payments',
    podName: 'ledger-0',
    podUid: 'uid-ledger-0',
    volume: 'data',
    phase: 'Completed',
    ...overrides,
  });
  it.each<[string, Partial<PodVolumeBackupFact>, PodFact[], string]>([
    ["the claim's uid label", { pvcUid: 'uid-claim' }, [], 'this-claim'],
    [
      "another claim's uid label, whatever the pod says",
      { pvcUid: 'uid-other' },
      [pod('ledger-0')],
      'other',
    ],
    [
      'no label: the very pod mounts the claim as that volume',
      {},
      [pod('ledger-0')],
      'this-claim',
    ],
    [
      'no label: the pod mounts another claim as that volume',
      { volume: 'cache' },
      [pod('ledger-0')],
      'other',
    ],
    [
      'no label: a volume that is not a claim',
      { volume: 'tmp' },
      [pod('ledger-0')],
      'other',
    ],
    [
      'no label: a pod of the same name that is another object now',
      {},
      [pod('ledger-0', { uid: 'uid-recreated' })],
      'unknown',
    ],
    [
      'no label and no pod uid: the pod of that name',
      { podUid: undefined },
      [pod('ledger-0', { uid: 'uid-recreated' })],
      'this-claim',
    ],
    ['no label: the pod is gone', {}, [], 'unknown'],
  ])('%s → %s', (_, overrides, pods, expected) => {
    expect(
      podVolumeBackupOwner({ record: record(overrides), claim, pods }),
    ).toBe(expected);
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
    uid: 'uid-data-0',
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
      { uid: 'uid-data-0', namespace: 'payments', name: 'data-0' },
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
      volumeEvidence({
        claim: forClaim,
        podVolumeBackups: [],
        snapshots: [],
        pods: [],
        podVolumeBackupsComplete: true,
        ...records,
        ...completeness,
      }),
    ).toEqual(expected);
  });

  const pvb = (
    name: string,
    phase: string,
    overrides: Partial<PodVolumeBackupFact> = {},
  ): PodVolumeBackupFact => ({
    cluster: 'prod',
    uid: name,
    namespace: 'velero',
    name,
    backupName: 'b',
    podNamespace: 'payments',
    podName: 'api-0',
    podUid: 'uid-api-0',
    volume: 'data',
    pvcUid: 'uid-data-0',
    phase,
    ...overrides,
  });
  const snapshot = (name: string, sourcePvc: string, readyToUse?: boolean) => ({
    cluster: 'prod',
    uid: name,
    namespace: 'payments',
    name,
    backupName: 'b',
    sourcePvc,
    readyToUse,
  });
  const apiPod = pod('api-0', {
    uid: 'uid-api-0',
    claims: { data: 'data-0', tmp: 'scratch' },
  });
  const complete = {
    snapshotsComplete: true,
    uploadsComplete: true,
    podVolumeBackupsComplete: true,
  };
  const none = {
    contents: [],
    uploads: [],
    podVolumeBackups: [],
    snapshots: [],
  };
  it.each([
    [
      'a completed file-system backup of the claim, by its uid',
      { ...none, podVolumeBackups: [pvb('p1', 'Completed')] },
      complete,
      claim,
      {
        kind: 'captured',
        what: "a file-system backup of this claim's volume (PodVolumeBackup p1 of pod api-0, volume data)",
      },
    ],
    [
      'a completed file-system backup of the claim, through the pod that made it',
      {
        ...none,
        podVolumeBackups: [pvb('p1', 'Completed', { pvcUid: undefined })],
      },
      complete,
      claim,
      {
        kind: 'captured',
        what: "a file-system backup of this claim's volume (PodVolumeBackup p1 of pod api-0, volume data)",
      },
    ],
    [
      'a completed file-system backup counts even when its sources are incomplete',
      { ...none, podVolumeBackups: [pvb('p1', 'Completed')] },
      { ...complete, podVolumeBackupsComplete: false },
      claim,
      {
        kind: 'captured',
        what: "a file-system backup of this claim's volume (PodVolumeBackup p1 of pod api-0, volume data)",
      },
    ],
    [
      'a completed file-system backup of a claim that is not CSI',
      { ...none, podVolumeBackups: [pvb('p1', 'Completed')] },
      complete,
      { ...claim, volumeHandle: undefined },
      {
        kind: 'captured',
        what: "a file-system backup of this claim's volume (PodVolumeBackup p1 of pod api-0, volume data)",
      },
    ],
    [
      'a failed file-system backup of the claim',
      { ...none, podVolumeBackups: [pvb('p1', 'Failed')] },
      complete,
      claim,
      {
        kind: 'missing',
        how: "the file-system backup of this claim's volume (p1) ended Failed",
      },
    ],
    [
      'a failed file-system backup of a claim that is not CSI',
      { ...none, podVolumeBackups: [pvb('p1', 'Canceled')] },
      complete,
      { ...claim, volumeHandle: undefined },
      {
        kind: 'missing',
        how: "the file-system backup of this claim's volume (p1) ended Canceled",
      },
    ],
    [
      'a file-system backup of the claim that never completed',
      { ...none, podVolumeBackups: [pvb('p1', 'InProgress')] },
      complete,
      claim,
      {
        kind: 'missing',
        how: "the file-system backup of this claim's volume (p1) never completed (phase InProgress)",
      },
    ],
    [
      'a failed file-system backup, but its sources are incomplete',
      { ...none, podVolumeBackups: [pvb('p1', 'Failed')] },
      { ...complete, podVolumeBackupsComplete: false },
      claim,
      { kind: 'none' },
    ],
    [
      'a failed file-system backup and a ready snapshot of the volume',
      {
        ...none,
        contents: [content('c1', 'vol-a', true)],
        podVolumeBackups: [pvb('p1', 'Failed')],
      },
      complete,
      claim,
      {
        kind: 'captured',
        what: "a ready CSI snapshot of this claim's volume (VolumeSnapshotContent c1)",
      },
    ],
    [
      'file-system backups of other claims only',
      {
        ...none,
        podVolumeBackups: [
          pvb('p0', 'Completed', { pvcUid: 'uid-other' }),
          pvb('p2', 'Completed', { pvcUid: undefined, volume: 'tmp' }),
        ],
      },
      complete,
      claim,
      {
        kind: 'missing',
        how: "it captured 2 other volumes but not this claim's",
      },
    ],
    [
      'a file-system backup whose pod is gone says nothing',
      {
        ...none,
        podVolumeBackups: [
          pvb('p0', 'Completed', { pvcUid: undefined, podName: 'gone-0' }),
        ],
      },
      complete,
      claim,
      { kind: 'none' },
    ],
    [
      'file-system backups of other claims, but pods or records incomplete',
      {
        ...none,
        podVolumeBackups: [pvb('p0', 'Completed', { pvcUid: 'uid-other' })],
      },
      { ...complete, podVolumeBackupsComplete: false },
      claim,
      { kind: 'none' },
    ],
    [
      'a ready VolumeSnapshot of the claim',
      { ...none, snapshots: [snapshot('vs1', 'data-0', true)] },
      complete,
      claim,
      {
        kind: 'captured',
        what: 'a ready CSI snapshot of this claim (VolumeSnapshot vs1)',
      },
    ],
    [
      'a VolumeSnapshot that is not ready, or of another claim, says nothing',
      {
        ...none,
        snapshots: [
          snapshot('vs1', 'data-0', false),
          snapshot('vs2', 'other', true),
        ],
      },
      complete,
      claim,
      { kind: 'none' },
    ],
  ])('%s', (_, records, completeness, forClaim, expected) => {
    expect(
      volumeEvidence({
        claim: forClaim,
        pods: [apiPod],
        ...records,
        ...completeness,
      }),
    ).toEqual(expected);
  });
});
