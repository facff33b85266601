import {
  V1Ingress,
  V1Namespace,
  V1PersistentVolumeClaim,
  V1Pod,
  V1Secret,
} from '@kubernetes/client-node';
import {
  createTestCertificate,
  createTestKey,
  tlsSecret,
} from '@internal/resilience-test';
import { KubernetesObject } from '../kubernetes/ClusterClient';
import {
  backupFact,
  certificateFact,
  certificateRequestFact,
  dataUploadFact,
  ingressFact,
  issuerFact,
  namespaceFact,
  podFact,
  podVolumeBackupFact,
  pvcFact,
  pvFact,
  restoreFact,
  scheduleFact,
  storageLocationFact,
  tlsSecretFact,
  volumeSnapshotContentFact,
  volumeSnapshotFact,
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

describe('podFact', () => {
  const pod = (overrides: Partial<V1Pod> = {}): V1Pod => ({
    metadata: {
      namespace: 'reporting',
      name: 'reporting-7d9f-abcde',
      uid: 'pod-1',
      labels: { 'app.kubernetes.io/name': 'reporting' },
      annotations: {
        'backup.velero.io/backup-volumes': 'exports,cache',
        'kubectl.kubernetes.io/restartedAt': '2026-11-01T00:00:00Z',
      },
    },
    spec: {
      containers: [{ name: 'reporting' }],
      volumes: [
        {
          name: 'exports',
          persistentVolumeClaim: { claimName: 'reporting-exports' },
        },
        { name: 'cache', emptyDir: {} },
        { name: 'token', projected: { sources: [] } },
      ],
    },
    status: { phase: 'Running' },
    ...overrides,
  });

  it.each<[string, V1Pod, object | undefined]>([
    [
      'keeps labels, phase, the claims of its volumes and the opt-in annotation',
      pod(),
      {
        cluster: 'prod',
        uid: 'pod-1',
        namespace: 'reporting',
        name: 'reporting-7d9f-abcde',
        labels: { 'app.kubernetes.io/name': 'reporting' },
        phase: 'Running',
        backupVolumes: ['exports', 'cache'],
        backupVolumesExcludes: [],
        claims: { exports: 'reporting-exports' },
      },
    ],
    [
      'reads the opt-out annotation, splitting like Velero (no trimming)',
      pod({
        metadata: {
          namespace: 'reporting',
          name: 'p',
          uid: 'pod-2',
          annotations: {
            'backup.velero.io/backup-volumes-excludes': 'exports, cache',
          },
        },
        spec: { containers: [] },
        status: undefined,
      }),
      {
        cluster: 'prod',
        uid: 'pod-2',
        namespace: 'reporting',
        name: 'p',
        labels: {},
        phase: undefined,
        backupVolumes: [],
        backupVolumesExcludes: ['exports', ' cache'],
        claims: {},
      },
    ],
    [
      'treats an empty annotation as absent',
      pod({
        metadata: {
          namespace: 'reporting',
          name: 'p',
          uid: 'pod-3',
          annotations: { 'backup.velero.io/backup-volumes': '' },
        },
      }),
      expect.objectContaining({ backupVolumes: [], backupVolumesExcludes: [] }),
    ],
    [
      'skips a pod without uid',
      pod({ metadata: { namespace: 'reporting', name: 'p' } }),
      undefined,
    ],
  ])('%s', (_, input, expected) => {
    expect(podFact('prod', input)).toEqual(expected);
  });
});

describe('namespaceFact', () => {
  it.each<[string, V1Namespace, object | undefined]>([
    [
      'an active namespace with its labels, cluster-scoped',
      {
        metadata: {
          name: 'payments',
          uid: 'n1',
          labels: { 'kubernetes.io/metadata.name': 'payments' },
        },
        status: { phase: 'Active' },
      },
      {
        cluster: 'prod',
        uid: 'n1',
        namespace: '',
        name: 'payments',
        labels: { 'kubernetes.io/metadata.name': 'payments' },
        phase: 'Active',
      },
    ],
    [
      'a terminating namespace without labels',
      {
        metadata: { name: 'old', uid: 'n2' },
        status: { phase: 'Terminating' },
      },
      {
        cluster: 'prod',
        uid: 'n2',
        namespace: '',
        name: 'old',
        labels: {},
        phase: 'Terminating',
      },
    ],
    ['a namespace without uid', { metadata: { name: 'x' } }, undefined],
  ])('%s', (_, input, expected) => {
    expect(namespaceFact('prod', input)).toEqual(expected);
  });
});

describe('podVolumeBackupFact', () => {
  const pvb = (
    labels: Record<string, string>,
    spec: Record<string, unknown>,
    status?: Record<string, unknown>,
  ): KubernetesObject => ({
    metadata: {
      namespace: 'velero',
      name: 'daily-1-x7k2p',
      uid: 'pvb-1',
      labels,
    },
    spec: {
      backupStorageLocation: 'default',
      node: 'node-1',
      repoIdentifier: '',
      pod: {
        kind: 'Pod',
        namespace: 'reporting',
        name: 'reporting-0',
        uid: 'pod-1',
      },
      volume: 'exports',
      ...spec,
    },
    status,
  });

  it.each<[string, KubernetesObject, object | undefined]>([
    [
      'the backup, pod, volume, claim uid label and phase',
      pvb(
        {
          'velero.io/backup-name': 'daily-1',
          'velero.io/backup-uid': 'b1',
          'velero.io/pvc-uid': 'pvc-1',
        },
        { tags: { 'pvc-uid': 'pvc-1' } },
        { phase: 'Completed' },
      ),
      {
        cluster: 'prod',
        uid: 'pvb-1',
        namespace: 'velero',
        name: 'daily-1-x7k2p',
        backupName: 'daily-1',
        podNamespace: 'reporting',
        podName: 'reporting-0',
        podUid: 'pod-1',
        volume: 'exports',
        pvcUid: 'pvc-1',
        phase: 'Completed',
      },
    ],
    [
      'the claim uid from the tag when the label is missing',
      pvb(
        { 'velero.io/backup-name': 'daily-1' },
        { tags: { 'pvc-uid': 'pvc-2' } },
        { phase: 'Failed', message: 'data path failed' },
      ),
      expect.objectContaining({ pvcUid: 'pvc-2', phase: 'Failed' }),
    ],
    [
      'no claim for a volume that is not a claim, and no phase yet',
      pvb({ 'velero.io/backup-name': 'daily-1' }, { volume: 'cache' }),
      expect.objectContaining({
        volume: 'cache',
        pvcUid: undefined,
        phase: undefined,
      }),
    ],
    [
      'a record without uid',
      { metadata: { namespace: 'velero', name: 'x' } },
      undefined,
    ],
  ])('%s', (_, input, expected) => {
    expect(podVolumeBackupFact('prod', input)).toEqual(expected);
  });
});

describe('volumeSnapshotFact', () => {
  it.each<[string, KubernetesObject, object | undefined]>([
    [
      'a ready snapshot of a claim, bound to its content',
      {
        metadata: {
          namespace: 'storefront',
          name: 'velero-cart-sessions-7xk2p',
          uid: 'vs-1',
          labels: { 'velero.io/backup-name': 'hourly-1' },
        },
        spec: {
          source: { persistentVolumeClaimName: 'cart-sessions' },
          volumeSnapshotClassName: 'csi-aws-vsc',
        },
        status: {
          readyToUse: true,
          boundVolumeSnapshotContentName: 'snapcontent-1',
        },
      },
      {
        cluster: 'prod',
        uid: 'vs-1',
        namespace: 'storefront',
        name: 'velero-cart-sessions-7xk2p',
        backupName: 'hourly-1',
        sourcePvc: 'cart-sessions',
        readyToUse: true,
        contentName: 'snapcontent-1',
      },
    ],
    [
      'a snapshot without status yet, of a pre-provisioned content',
      {
        metadata: { namespace: 'storefront', name: 'vs', uid: 'vs-2' },
        spec: { source: { volumeSnapshotContentName: 'pre' } },
      },
      {
        cluster: 'prod',
        uid: 'vs-2',
        namespace: 'storefront',
        name: 'vs',
        backupName: undefined,
        sourcePvc: undefined,
        readyToUse: undefined,
        contentName: undefined,
      },
    ],
    ['a snapshot without uid', { metadata: { name: 'vs' } }, undefined],
  ])('%s', (_, input, expected) => {
    expect(volumeSnapshotFact('prod', input)).toEqual(expected);
  });
});

describe('restoreFact', () => {
  it.each<[string, KubernetesObject, object | undefined]>([
    [
      'a completed restore into a mapped namespace',
      {
        metadata: { namespace: 'velero', name: 'daily-1-20261124', uid: 'r1' },
        spec: {
          backupName: 'daily-1',
          namespaceMapping: { payments: 'restore-test-payments' },
        },
        status: {
          phase: 'Completed',
          startTimestamp: '2026-11-24T10:00:00Z',
          completionTimestamp: '2026-11-24T10:07:30Z',
          warnings: 3,
        },
      },
      {
        cluster: 'prod',
        uid: 'r1',
        namespace: 'velero',
        name: 'daily-1-20261124',
        backupName: 'daily-1',
        namespaceMapping: { payments: 'restore-test-payments' },
        phase: 'Completed',
        startedAt: new Date('2026-11-24T10:00:00Z'),
        completedAt: new Date('2026-11-24T10:07:30Z'),
        errors: 0,
        warnings: 3,
        failureReason: undefined,
      },
    ],
    [
      'a failed restore with its reason',
      {
        metadata: { namespace: 'velero', name: 'r', uid: 'r2' },
        spec: { backupName: 'daily-2' },
        status: {
          phase: 'Failed',
          errors: 1,
          failureReason: 'backup not found',
        },
      },
      expect.objectContaining({
        namespaceMapping: {},
        phase: 'Failed',
        errors: 1,
        failureReason: 'backup not found',
        completedAt: undefined,
      }),
    ],
    [
      'a new restore without status',
      {
        metadata: { namespace: 'velero', name: 'r', uid: 'r3' },
        spec: { backupName: 'daily-3', namespaceMapping: { a: '' } },
      },
      expect.objectContaining({ phase: 'New', namespaceMapping: {} }),
    ],
    ['a restore without uid', { metadata: { name: 'r' } }, undefined],
  ])('%s', (_, input, expected) => {
    expect(restoreFact('prod', input)).toEqual(expected);
  });
});

describe('certificateFact', () => {
  it('reads the spec cert-manager renews by and the status it reports', () => {
    expect(
      certificateFact('prod', {
        metadata: {
          namespace: 'payments',
          name: 'payments-tls',
          uid: 'c1',
          labels: { 'backstage.io/kubernetes-id': 'payments' },
        },
        spec: {
          secretName: 'payments-tls',
          dnsNames: ['payments.example.com'],
          commonName: 'payments.example.com',
          issuerRef: {
            name: 'letsencrypt',
            kind: 'ClusterIssuer',
            group: 'cert-manager.io',
          },
          duration: '2160h0m0s',
          renewBefore: '360h',
          privateKey: {
            rotationPolicy: 'Always',
            algorithm: 'ECDSA',
            size: 256,
          },
        },
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'Ready',
              message: 'Certificate is up to date and has not expired',
              lastTransitionTime: '2026-11-01T00:00:00Z',
            },
            { type: 'Issuing', status: 'maybe' },
            { status: 'True' },
          ],
          notBefore: '2026-11-01T00:00:00Z',
          notAfter: '2027-01-30T00:00:00Z',
          renewalTime: '2027-01-15T00:00:00Z',
          revision: 3,
          failedIssuanceAttempts: 1,
          lastFailureTime: '2026-10-31T00:00:00Z',
        },
      }),
    ).toEqual({
      cluster: 'prod',
      uid: 'c1',
      namespace: 'payments',
      name: 'payments-tls',
      labels: { 'backstage.io/kubernetes-id': 'payments' },
      secretName: 'payments-tls',
      dnsNames: ['payments.example.com'],
      commonName: 'payments.example.com',
      issuerRef: {
        kind: 'ClusterIssuer',
        name: 'letsencrypt',
        group: 'cert-manager.io',
      },
      durationMs: 2160 * 3_600_000,
      renewBeforeMs: 360 * 3_600_000,
      renewBeforePercentage: undefined,
      rotationPolicy: 'Always',
      privateKeyAlgorithm: 'ECDSA',
      privateKeySize: 256,
      conditions: [
        {
          type: 'Ready',
          status: 'True',
          reason: 'Ready',
          message: 'Certificate is up to date and has not expired',
          lastTransitionTime: new Date('2026-11-01T00:00:00Z'),
        },
        // A status cert-manager never writes is read as Unknown; a condition without type is skipped.
        { type: 'Issuing', status: 'Unknown' },
      ],
      notBefore: new Date('2026-11-01T00:00:00Z'),
      notAfter: new Date('2027-01-30T00:00:00Z'),
      renewalTime: new Date('2027-01-15T00:00:00Z'),
      revision: 3,
      failedIssuanceAttempts: 1,
      lastFailureTime: new Date('2026-10-31T00:00:00Z'),
    });
  });

  it.each<[string, KubernetesObject, unknown]>([
    [
      'a new Certificate without status, issuerRef kind or duration',
      {
        metadata: { namespace: 'a', name: 'x', uid: 'u' },
        spec: {
          secretName: 'x-tls',
          issuerRef: { name: 'ca' },
          renewBeforePercentage: 33,
        },
      },
      expect.objectContaining({
        labels: {},
        secretName: 'x-tls',
        dnsNames: [],
        issuerRef: { kind: 'Issuer', name: 'ca', group: undefined },
        durationMs: undefined,
        renewBeforePercentage: 33,
        conditions: [],
        notAfter: undefined,
        revision: undefined,
      }),
    ],
    ['an object without uid', { metadata: { name: 'x' } }, undefined],
  ])('reads %s', (_, object, expected) => {
    expect(certificateFact('prod', object)).toEqual(expected);
  });
});

describe('certificateRequestFact', () => {
  it.each<[string, KubernetesObject, object | undefined]>([
    [
      'a failed request of revision 4',
      {
        metadata: {
          namespace: 'payments',
          name: 'payments-tls-4',
          uid: 'r4',
          creationTimestamp: '2026-11-24T00:00:00Z',
          annotations: { 'cert-manager.io/certificate-revision': '4' },
          ownerReferences: [
            { kind: 'Issuer', name: 'other', controller: false },
            { kind: 'Certificate', name: 'payments-tls', controller: true },
          ],
        } as KubernetesObject['metadata'],
        status: {
          conditions: [
            { type: 'Approved', status: 'True' },
            {
              type: 'Ready',
              status: 'False',
              reason: 'Failed',
              message: 'ACME order failed',
            },
          ],
          failureTime: '2026-11-24T00:01:00Z',
        },
      },
      {
        cluster: 'prod',
        uid: 'r4',
        namespace: 'payments',
        name: 'payments-tls-4',
        certificateName: 'payments-tls',
        revision: 4,
        createdAt: new Date('2026-11-24T00:00:00Z'),
        conditions: [
          { type: 'Approved', status: 'True' },
          {
            type: 'Ready',
            status: 'False',
            reason: 'Failed',
            message: 'ACME order failed',
          },
        ],
        failureTime: new Date('2026-11-24T00:01:00Z'),
      },
    ],
    [
      'a request made by hand, with an unreadable revision',
      {
        metadata: {
          namespace: 'a',
          name: 'manual',
          uid: 'm',
          annotations: { 'cert-manager.io/certificate-revision': 'x' },
        },
      },
      {
        cluster: 'prod',
        uid: 'm',
        namespace: 'a',
        name: 'manual',
        certificateName: undefined,
        revision: undefined,
        createdAt: undefined,
        conditions: [],
        failureTime: undefined,
      },
    ],
  ])('reads %s', (_, object, expected) => {
    expect(certificateRequestFact('prod', object)).toEqual(expected);
  });
});

describe('issuerFact', () => {
  it.each<[string, KubernetesObject, 'Issuer' | 'ClusterIssuer', object]>([
    [
      'a ready Issuer, without its solver settings',
      {
        metadata: { namespace: 'payments', name: 'ca', uid: 'i1' },
        spec: { ca: { secretName: 'ca-key-pair' } },
        status: {
          conditions: [
            {
              type: 'Ready',
              status: 'True',
              reason: 'KeyPairVerified',
              message: 'Signing CA verified',
            },
          ],
        },
      },
      'Issuer',
      {
        cluster: 'prod',
        uid: 'i1',
        namespace: 'payments',
        name: 'ca',
        kind: 'Issuer',
        ready: 'True',
        readyReason: 'KeyPairVerified',
        readyMessage: 'Signing CA verified',
      },
    ],
    [
      'a ClusterIssuer without conditions, cluster-scoped',
      { metadata: { namespace: 'ignored', name: 'letsencrypt', uid: 'ci' } },
      'ClusterIssuer',
      {
        cluster: 'prod',
        uid: 'ci',
        namespace: '',
        name: 'letsencrypt',
        kind: 'ClusterIssuer',
        ready: undefined,
        readyReason: undefined,
        readyMessage: undefined,
      },
    ],
  ])('reads %s', (_, object, kind, expected) => {
    expect(issuerFact('prod', object, kind)).toEqual(expected);
  });
});

describe('tlsSecretFact', () => {
  const key = createTestKey({ ec: 'prime256v1' });
  const chainPem = createTestCertificate({
    commonName: 'payments.example.com',
    key,
    dnsNames: ['payments.example.com'],
    notBefore: new Date('2026-11-01T00:00:00Z'),
    notAfter: new Date('2027-01-30T00:00:00Z'),
  });
  const secret = (overrides: Partial<V1Secret> = {}): V1Secret => ({
    ...(tlsSecret({
      namespace: 'payments',
      name: 'payments-tls',
      chainPem,
      keyPem: key.keyPem,
      labels: { app: 'payments' },
      annotations: {
        'cert-manager.io/certificate-name': 'payments-tls',
        'cert-manager.io/issuer-name': 'letsencrypt',
        'cert-manager.io/issuer-kind': 'ClusterIssuer',
      },
    }) as V1Secret),
    metadata: {
      namespace: 'payments',
      name: 'payments-tls',
      uid: 's1',
      labels: { app: 'payments' },
      annotations: {
        'cert-manager.io/certificate-name': 'payments-tls',
        'cert-manager.io/issuer-name': 'letsencrypt',
        'cert-manager.io/issuer-kind': 'ClusterIssuer',
      },
    },
    ...overrides,
  });

  it('reads the chain and who manages the Secret, and nothing of the key', () => {
    const fact = tlsSecretFact('prod', secret());
    expect(fact).toMatchObject({
      cluster: 'prod',
      uid: 's1',
      namespace: 'payments',
      name: 'payments-tls',
      labels: { app: 'payments' },
      certificateName: 'payments-tls',
      issuerName: 'letsencrypt',
      issuerKind: 'ClusterIssuer',
      chain: [{ subject: 'CN=payments.example.com', keyType: 'ec' }],
      parseError: undefined,
    });
    expect(Object.keys(fact!).sort()).toEqual([
      'certificateName',
      'chain',
      'cluster',
      'issuerKind',
      'issuerName',
      'labels',
      'name',
      'namespace',
      'parseError',
      'uid',
    ]);
    const stored = JSON.stringify(fact);
    expect(stored).not.toContain(key.keyPem.split('\n')[1]);
    expect(stored).not.toContain(secret().data!['tls.key'].slice(20, 60));
  });

  it.each<[string, Partial<V1Secret>, string]>([
    [
      'an empty tls.crt',
      { data: { 'tls.crt': '', 'tls.key': 'eA==' } },
      'tls.crt is empty',
    ],
    ['no tls.crt', { data: {} }, 'the Secret has no tls.crt'],
    ['no data at all', { data: undefined }, 'the Secret has no tls.crt'],
    [
      'garbage',
      { data: { 'tls.crt': Buffer.from('not PEM').toString('base64') } },
      'tls.crt holds no PEM-encoded certificate',
    ],
  ])(
    'keeps a Secret with %s as a fact with the reason',
    (_, overrides, reason) => {
      expect(tlsSecretFact('prod', secret(overrides))).toMatchObject({
        name: 'payments-tls',
        chain: [],
        parseError: reason,
      });
    },
  );

  it.each<[string, Partial<V1Secret>]>([
    ['an Opaque Secret', { type: 'Opaque' }],
    ['a Secret without uid', { metadata: { name: 'x', namespace: 'a' } }],
  ])('skips %s', (_, overrides) => {
    expect(tlsSecretFact('prod', secret(overrides))).toBeUndefined();
  });
});

describe('ingressFact', () => {
  it.each<[string, V1Ingress, object | undefined]>([
    [
      'the Secrets it serves, with their hosts',
      {
        metadata: {
          namespace: 'payments',
          name: 'web',
          uid: 'g1',
          labels: { app: 'payments' },
        },
        spec: {
          tls: [
            { hosts: ['payments.example.com'], secretName: 'payments-tls' },
            // The controller's default certificate.
            { hosts: ['default.example.com'] },
          ],
        },
      },
      {
        cluster: 'prod',
        uid: 'g1',
        namespace: 'payments',
        name: 'web',
        labels: { app: 'payments' },
        tls: [
          { secretName: 'payments-tls', hosts: ['payments.example.com'] },
          { secretName: undefined, hosts: ['default.example.com'] },
        ],
      },
    ],
    [
      'an Ingress without TLS',
      { metadata: { namespace: 'a', name: 'plain', uid: 'g2' }, spec: {} },
      {
        cluster: 'prod',
        uid: 'g2',
        namespace: 'a',
        name: 'plain',
        labels: {},
        tls: [],
      },
    ],
    ['an Ingress without uid', { metadata: { name: 'x' } }, undefined],
  ])('reads %s', (_, ingress, expected) => {
    expect(ingressFact('prod', ingress)).toEqual(expected);
  });
});
