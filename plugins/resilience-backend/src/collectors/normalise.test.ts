import { V1PersistentVolumeClaim } from '@kubernetes/client-node';
import {
  backupFact,
  dataUploadFact,
  pvcFact,
  pvFact,
  scheduleFact,
  storageLocationFact,
  volumeSnapshotContentFact,
} from './normalise';

describe('backupFact', () => {
  it('reads a scheduled, completed backup', () => {
    expect(
      backupFact('prod', {
        metadata: {
          name: 'daily-payments-20261124020000',
          namespace: 'velero',
          uid: 'u1',
          labels: { 'velero.io/schedule-name': 'daily-payments' },
        },
        spec: {
          includedNamespaces: ['payments'],
          excludedResources: [],
          storageLocation: 'default',
          labelSelector: { matchLabels: { app: 'ledger' } },
          ttl: '720h0m0s',
          snapshotVolumes: true,
        },
        status: {
          phase: 'Completed',
          startTimestamp: '2026-11-24T02:00:00Z',
          completionTimestamp: '2026-11-24T02:04:10Z',
          expiration: '2026-12-24T02:00:00Z',
          warnings: 2,
          csiVolumeSnapshotsCompleted: 1,
          backupItemOperationsCompleted: 2,
        },
      }),
    ).toEqual({
      cluster: 'prod',
      uid: 'u1',
      namespace: 'velero',
      name: 'daily-payments-20261124020000',
      phase: 'Completed',
      scheduleName: 'daily-payments',
      storageLocation: 'default',
      selection: {
        includedNamespaces: ['payments'],
        labelSelector: { matchLabels: { app: 'ledger' } },
      },
      startedAt: new Date('2026-11-24T02:00:00Z'),
      completedAt: new Date('2026-11-24T02:04:10Z'),
      expiresAt: new Date('2026-12-24T02:00:00Z'),
      errors: 0,
      warnings: 2,
      createdAt: undefined,
      ttlMs: 720 * 3_600_000,
      capture: {
        snapshotVolumes: true,
        defaultVolumesToFsBackup: undefined,
        volumeSnapshotsCompleted: 0,
        csiVolumeSnapshotsCompleted: 1,
        itemOperationsCompleted: 2,
      },
    });
  });

  it.each([
    [{ ttl: '48h0m0s' }, {}, 48],
    // Without spec.ttl, the lifetime Velero gave it.
    [
      {},
      {
        startTimestamp: '2026-11-24T00:00:00Z',
        expiration: '2026-11-26T00:00:00Z',
      },
      48,
    ],
    [{ ttl: '0s' }, {}, undefined],
    [{}, {}, undefined],
  ])(
    'reads the TTL of spec %j and status %j as %p hours',
    (spec, status, hours) => {
      expect(
        backupFact('prod', {
          metadata: { name: 'b', namespace: 'velero', uid: 'u3' },
          spec,
          status,
        })?.ttlMs,
      ).toBe(hours === undefined ? undefined : hours * 3_600_000);
    },
  );

  it('treats a backup without status as New and ignores unreadable times', () => {
    const fact = backupFact('prod', {
      metadata: { name: 'b', namespace: 'velero', uid: 'u2' },
      status: { completionTimestamp: 'yesterday' },
    });
    expect(fact).toMatchObject({
      phase: 'New',
      selection: {},
      completedAt: undefined,
      errors: 0,
    });
  });

  it('skips objects without a uid', () => {
    expect(backupFact('prod', { metadata: { name: 'b' } })).toBeUndefined();
  });
});

describe('scheduleFact', () => {
  it('reads the template, pause flag and last backup', () => {
    expect(
      scheduleFact('prod', {
        metadata: { name: 'hourly', namespace: 'velero', uid: 's1' },
        spec: {
          schedule: '0 * * * *',
          paused: true,
          template: {
            includedNamespaces: ['search'],
            ttl: '48h0m0s',
            storageLocation: 'secondary',
            snapshotVolumes: false,
            defaultVolumesToFsBackup: true,
          },
        },
        status: { phase: 'Enabled', lastBackup: '2026-11-24T10:00:00Z' },
      }),
    ).toEqual({
      cluster: 'prod',
      uid: 's1',
      namespace: 'velero',
      name: 'hourly',
      schedule: '0 * * * *',
      paused: true,
      phase: 'Enabled',
      ttl: '48h0m0s',
      selection: { includedNamespaces: ['search'] },
      lastBackupAt: new Date('2026-11-24T10:00:00Z'),
      storageLocation: 'secondary',
      snapshotVolumes: false,
      defaultVolumesToFsBackup: true,
    });
  });
});

describe('storageLocationFact', () => {
  it("reads phase, default flag, bucket, access mode and Velero's message", () => {
    expect(
      storageLocationFact('prod', {
        metadata: { name: 'secondary', namespace: 'velero', uid: 'l1' },
        spec: {
          provider: 'aws',
          default: true,
          accessMode: 'ReadOnly',
          objectStorage: { bucket: 'dr', prefix: 'x' },
        },
        status: {
          phase: 'Unavailable',
          lastValidationTime: '2026-11-24T10:00:00Z',
          message: 'NoSuchBucket',
        },
      }),
    ).toEqual({
      cluster: 'prod',
      uid: 'l1',
      namespace: 'velero',
      name: 'secondary',
      phase: 'Unavailable',
      isDefault: true,
      provider: 'aws',
      bucket: 'dr',
      accessMode: 'ReadOnly',
      lastValidatedAt: new Date('2026-11-24T10:00:00Z'),
      message: 'NoSuchBucket',
    });
  });

  it('leaves phase unset before Velero validated the location', () => {
    expect(
      storageLocationFact('prod', {
        metadata: { name: 'new', namespace: 'velero', uid: 'l2' },
        spec: { provider: 'aws' },
      }),
    ).toMatchObject({ phase: undefined, isDefault: false });
  });
});

describe('pvcFact', () => {
  it('reads a typed claim from the client', () => {
    const claim: V1PersistentVolumeClaim = {
      metadata: {
        name: 'data-ledger-0',
        namespace: 'payments',
        uid: 'p1',
        labels: { 'backstage.io/kubernetes-id': 'ledger' },
        creationTimestamp: new Date('2026-10-01T00:00:00Z'),
      },
      spec: {
        storageClassName: 'ssd',
        volumeName: 'pv-1',
        resources: { requests: { storage: '10Gi' } },
      },
      status: { phase: 'Bound' },
    };
    expect(pvcFact('prod', claim)).toEqual({
      cluster: 'prod',
      uid: 'p1',
      namespace: 'payments',
      name: 'data-ledger-0',
      labels: { 'backstage.io/kubernetes-id': 'ledger' },
      phase: 'Bound',
      storageClassName: 'ssd',
      capacity: '10Gi',
      volumeName: 'pv-1',
      createdAt: new Date('2026-10-01T00:00:00Z'),
    });
  });
});

describe('pvFact', () => {
  it('reads the CSI volume handle and the claim', () => {
    expect(
      pvFact('prod', {
        metadata: { name: 'pvc-1', uid: 'v1' },
        spec: {
          csi: { driver: 'ebs.csi.aws.com', volumeHandle: 'vol-1' },
          claimRef: { namespace: 'payments', name: 'data-ledger-0' },
        },
      }),
    ).toEqual({
      cluster: 'prod',
      uid: 'v1',
      namespace: '',
      name: 'pvc-1',
      csiDriver: 'ebs.csi.aws.com',
      volumeHandle: 'vol-1',
      claimNamespace: 'payments',
      claimName: 'data-ledger-0',
    });
  });

  it('leaves the handle out for volumes that are not CSI', () => {
    expect(
      pvFact('prod', {
        metadata: { name: 'nfs', uid: 'v2' },
        spec: { nfs: { server: 'x', path: '/' } },
      }),
    ).toMatchObject({
      volumeHandle: undefined,
      csiDriver: undefined,
    });
  });
});

describe('volumeSnapshotContentFact', () => {
  it('reads the backup, the volume and readiness', () => {
    expect(
      volumeSnapshotContentFact('prod', {
        metadata: {
          name: 'snapcontent-1',
          uid: 's1',
          labels: { 'velero.io/backup-name': 'daily-1' },
        },
        spec: {
          source: { volumeHandle: 'vol-1' },
          volumeSnapshotRef: {
            namespace: 'payments',
            name: 'velero-data-ledger-0-abcde',
          },
        },
        status: { readyToUse: true },
      }),
    ).toEqual({
      cluster: 'prod',
      uid: 's1',
      namespace: '',
      name: 'snapcontent-1',
      backupName: 'daily-1',
      volumeHandle: 'vol-1',
      snapshotNamespace: 'payments',
      snapshotName: 'velero-data-ledger-0-abcde',
      readyToUse: true,
    });
  });
});

describe('dataUploadFact', () => {
  it('reads the backup, the source claim and the phase', () => {
    expect(
      dataUploadFact('prod', {
        metadata: {
          namespace: 'velero',
          name: 'du-1',
          uid: 'd1',
          labels: { 'velero.io/backup-name': 'daily-1' },
        },
        spec: {
          sourceNamespace: 'payments',
          sourcePVC: 'data-ledger-0',
          snapshotType: 'CSI',
        },
        status: { phase: 'Completed' },
      }),
    ).toEqual({
      cluster: 'prod',
      uid: 'd1',
      namespace: 'velero',
      name: 'du-1',
      backupName: 'daily-1',
      sourceNamespace: 'payments',
      sourcePvc: 'data-ledger-0',
      phase: 'Completed',
    });
  });
});
