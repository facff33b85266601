import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
} from '@kubernetes/client-node';
import { RunningEmulator, startEmulator } from './index';
import {
  matchesLabels,
  RESTORE_LABELS,
  restoreAnnotations,
  restoredNamespaces,
  validationErrors,
  VELERO_ANNOTATIONS,
} from './velero';

jest.setTimeout(30_000);

const restores = { group: 'velero.io', version: 'v1', plural: 'restores' };

interface RestoreStatus {
  phase?: string;
  validationErrors?: string[];
  startTimestamp?: string;
  completionTimestamp?: string;
  failureReason?: string;
  warnings?: number;
  errors?: number;
  progress?: { totalItems?: number; itemsRestored?: number };
}

/** The HTTP status and parsed `Status` body of a failed client-node call. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ code: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const e = error as { code: number; body: string | object };
    return {
      code: e.code,
      body:
        typeof e.body === 'string'
          ? JSON.parse(e.body)
          : (e.body as Record<string, unknown>),
    };
  }
  throw new Error('expected the call to fail');
}

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms));

describe('restoredNamespaces', () => {
  const namespaces = ['payments', 'search', 'velero', 'web'];
  it.each([
    [
      'the included ones',
      { includedNamespaces: ['search', 'web'] },
      {},
      ['search', 'web'],
    ],
    ['all with *', { includedNamespaces: ['*'] }, {}, namespaces],
    ['all when absent', {}, {}, namespaces],
    [
      'all but the excluded ones',
      { includedNamespaces: ['*'], excludedNamespaces: ['velero'] },
      {},
      ['payments', 'search', 'web'],
    ],
    [
      'those the Restore includes too',
      { includedNamespaces: ['*'] },
      { includedNamespaces: ['web', 'elsewhere'] },
      ['web'],
    ],
    [
      'not those the Restore excludes',
      { includedNamespaces: ['payments', 'web'] },
      { includedNamespaces: ['*'], excludedNamespaces: ['web'] },
      ['payments'],
    ],
    ['none that do not exist', { includedNamespaces: ['gone'] }, {}, []],
  ])('takes %s', (_, backup, restore, expected) => {
    expect(restoredNamespaces({ backup, restore, namespaces })).toEqual(
      expected,
    );
  });
});

describe('matchesLabels', () => {
  it.each([
    [{ app: 'a' }, undefined, true],
    [{ app: 'a', tier: 'db' }, { app: 'a' }, true],
    [{ app: 'b' }, { app: 'a' }, false],
    [undefined, { app: 'a' }, false],
    [undefined, {}, true],
  ])('%p against %p is %p', (labels, matchLabels, expected) => {
    expect(matchesLabels({ labels, matchLabels })).toBe(expected);
  });
});

describe('restoreAnnotations', () => {
  const defaults = { defaultOutcome: 'complete' as const, restoreDelayMs: 200 };
  it.each([
    [
      'the defaults without annotations',
      undefined,
      { outcome: 'complete', delayMs: 200, bindNever: false, errors: [] },
    ],
    [
      'an outcome, a delay and pvc-bind never',
      {
        [VELERO_ANNOTATIONS.restoreOutcome]: 'partially-fail',
        [VELERO_ANNOTATIONS.restoreDelayMs]: '1500',
        [VELERO_ANNOTATIONS.pvcBind]: 'never',
      },
      { outcome: 'partially-fail', delayMs: 1500, bindNever: true, errors: [] },
    ],
  ])('reads %s', (_, annotations, expected) => {
    expect(restoreAnnotations({ annotations, ...defaults })).toEqual(expected);
  });

  it('names every value it does not understand', () => {
    expect(
      restoreAnnotations({
        annotations: {
          [VELERO_ANNOTATIONS.restoreOutcome]: 'explode',
          [VELERO_ANNOTATIONS.restoreDelayMs]: 'soon',
          [VELERO_ANNOTATIONS.pvcBind]: 'later',
        },
        ...defaults,
      }).errors,
    ).toEqual([
      'emulator.resilience.io/restore-outcome must be one of complete, partially-fail, fail, hang, not "explode"',
      'emulator.resilience.io/restore-delay-ms must be a number of milliseconds, not "soon"',
      'emulator.resilience.io/pvc-bind can only be "never", not "later"',
    ]);
  });
});

describe('validationErrors', () => {
  const backup = (phase?: string) => ({
    metadata: { name: 'b' },
    ...(phase ? { status: { phase } } : {}),
  });
  it.each([
    ['a Completed backup', { backupName: 'b' }, backup('Completed'), []],
    [
      'a PartiallyFailed backup',
      { backupName: 'b' },
      backup('PartiallyFailed'),
      [],
    ],
    [
      'a missing backup',
      { backupName: 'b' },
      undefined,
      [
        'Error retrieving backup: backups.velero.io "b" not found in namespace velero',
      ],
    ],
    [
      'a backup in progress',
      { backupName: 'b' },
      backup('InProgress'),
      [
        'Backup b is in phase InProgress; only a Completed or PartiallyFailed backup can be restored',
      ],
    ],
    [
      'no backup name',
      {},
      undefined,
      [
        'Either a backup or schedule must be specified as a source for the restore, but not both',
      ],
    ],
  ])('accepts or refuses %s', (_, spec, found, expected) => {
    expect(
      validationErrors({
        restore: { namespace: 'velero', spec },
        backup: found,
      }),
    ).toEqual(expected);
  });
});

describe('the simulated Velero, through the HTTPS API', () => {
  let emulator: RunningEmulator;
  let custom: CustomObjectsApi;
  let core: CoreV1Api;
  let apps: AppsV1Api;
  let counter = 0;

  const claim = (namespace: string, name: string, app: string) => ({
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      namespace,
      name,
      labels: { app },
      annotations: { 'pv.kubernetes.io/bind-completed': 'yes' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '5Gi' } },
      volumeName: `pv-${name}`,
    },
    status: { phase: 'Bound' },
  });
  const workload = (
    kind: 'Deployment' | 'StatefulSet',
    namespace: string,
    name: string,
    replicas: number,
  ) => ({
    apiVersion: 'apps/v1',
    kind,
    metadata: { namespace, name, labels: { app: name } },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: {} },
    },
    status: { replicas, readyReplicas: replicas, availableReplicas: replicas },
  });
  const backup = (name: string, spec: object, phase = 'Completed') => ({
    apiVersion: 'velero.io/v1',
    kind: 'Backup',
    metadata: { namespace: 'velero', name },
    spec,
    status: { phase },
  });

  /** Creates a Restore with a fresh name and returns the name. */
  const restore = async (
    spec: object,
    annotations: Record<string, string> = {},
  ) => {
    counter++;
    const name = `restore-${counter}`;
    await custom.createNamespacedCustomObject({
      ...restores,
      namespace: 'velero',
      body: {
        apiVersion: 'velero.io/v1',
        kind: 'Restore',
        metadata: { name, annotations },
        spec,
      },
    });
    return name;
  };
  const statusOf = async (name: string) =>
    (
      (await custom.getNamespacedCustomObject({
        ...restores,
        namespace: 'velero',
        name,
      })) as { status?: RestoreStatus }
    ).status ?? {};
  /** Polls the Restore until `done` says so, returning every phase seen in order. */
  const follow = async (
    name: string,
    done: (status: RestoreStatus) => boolean,
  ) => {
    const phases: string[] = [];
    for (let i = 0; i < 1000; i++) {
      const status = await statusOf(name);
      const phase = status.phase ?? '';
      if (phases[phases.length - 1] !== phase) phases.push(phase);
      if (done(status)) return { status, phases };
      await sleep(5);
    }
    throw new Error(`Restore ${name} never got there: ${phases.join(' → ')}`);
  };
  const final = (status: RestoreStatus) =>
    ['Completed', 'PartiallyFailed', 'Failed', 'FailedValidation'].includes(
      status.phase ?? '',
    );
  const claims = async (namespace: string) =>
    (await core.listNamespacedPersistentVolumeClaim({ namespace })).items;

  beforeAll(async () => {
    emulator = await startEmulator({
      velero: { restoreDelayMs: 200, readyDelayMs: 250 },
      // Long enough for a Restore to run into the namespace while it terminates.
      namespaceFinalizeMs: 1500,
      objects: [
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: 'payments', labels: { team: 'payments' } },
        },
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'velero' } },
        claim('payments', 'data-ledger-0', 'ledger'),
        claim('payments', 'data-ledger-1', 'ledger'),
        workload('StatefulSet', 'payments', 'ledger', 2),
        workload('Deployment', 'payments', 'api', 3),
        claim('search', 'index-0', 'search'),
        backup('daily-payments', { includedNamespaces: ['payments'] }),
        backup('everything-but-search', {
          includedNamespaces: ['*'],
          excludedNamespaces: ['search'],
        }),
        backup('ledger-only', {
          includedNamespaces: ['payments'],
          labelSelector: { matchLabels: { app: 'ledger' } },
        }),
        backup('running', { includedNamespaces: ['payments'] }, 'InProgress'),
      ],
    });
    const kc = new KubeConfig();
    kc.loadFromString(emulator.kubeconfig());
    custom = kc.makeApiClient(CustomObjectsApi);
    core = kc.makeApiClient(CoreV1Api);
    apps = kc.makeApiClient(AppsV1Api);
  });

  afterAll(async () => {
    await emulator?.close();
  });

  it('restores into a mapped, fresh namespace: claims Pending then Bound, workloads available, labelled, Completed with counts', async () => {
    const name = await restore({
      backupName: 'daily-payments',
      includedNamespaces: ['payments'],
      namespaceMapping: { payments: 'restore-test-1' },
      restorePVs: true,
    });
    const { status, phases } = await follow(name, final);
    expect(phases.filter(Boolean)).toEqual(
      expect.arrayContaining(['InProgress', 'Completed']),
    );
    expect(phases.indexOf('InProgress')).toBeLessThan(
      phases.indexOf('Completed'),
    );
    expect(status).toEqual({
      phase: 'Completed',
      startTimestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:]+Z$/),
      completionTimestamp: expect.stringMatching(/Z$/),
      progress: { totalItems: 4, itemsRestored: 4 },
    });
    // The storage provisioner has not bound them yet.
    expect((await claims('restore-test-1')).map(c => c.status?.phase)).toEqual([
      'Pending',
      'Pending',
    ]);

    await emulator.veleroIdle();
    const namespace = await core.readNamespace({ name: 'restore-test-1' });
    expect(namespace.metadata?.labels).toMatchObject({
      team: 'payments',
      [RESTORE_LABELS.restoreName]: name,
      [RESTORE_LABELS.backupName]: 'daily-payments',
    });
    const restored = await claims('restore-test-1');
    expect(restored.map(c => c.metadata?.name)).toEqual([
      'data-ledger-0',
      'data-ledger-1',
    ]);
    for (const c of restored) {
      expect(c.status).toEqual({
        phase: 'Bound',
        accessModes: ['ReadWriteOnce'],
        capacity: { storage: '5Gi' },
      });
      expect(c.spec?.volumeName).toBe(`pvc-${c.metadata?.uid}`);
      expect(c.metadata?.labels).toEqual({
        app: 'ledger',
        [RESTORE_LABELS.restoreName]: name,
        [RESTORE_LABELS.backupName]: 'daily-payments',
      });
      expect(c.metadata?.annotations).toBeUndefined();
    }
    const deployment = await apps.readNamespacedDeployment({
      namespace: 'restore-test-1',
      name: 'api',
    });
    expect(deployment.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
    });
    expect(
      deployment.status?.conditions?.find(c => c.type === 'Available')?.status,
    ).toBe('True');
    expect(deployment.metadata?.labels?.[RESTORE_LABELS.restoreName]).toBe(
      name,
    );
    const statefulSet = await apps.readNamespacedStatefulSet({
      namespace: 'restore-test-1',
      name: 'ledger',
    });
    expect(statefulSet.status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
    // The source is untouched.
    expect((await claims('payments')).map(c => c.metadata?.labels)).toEqual([
      { app: 'ledger' },
      { app: 'ledger' },
    ]);
  });

  it('takes only the namespaces and labels the Backup and the Restore select', async () => {
    const name = await restore({
      backupName: 'everything-but-search',
      includedNamespaces: ['search', 'payments'],
      namespaceMapping: {
        payments: 'restore-test-2',
        search: 'restore-test-x',
      },
    });
    expect((await follow(name, final)).status.progress).toEqual({
      totalItems: 4,
      itemsRestored: 4,
    });
    const labelled = await restore({
      backupName: 'ledger-only',
      namespaceMapping: { payments: 'restore-test-3' },
    });
    expect((await follow(labelled, final)).status.progress).toEqual({
      totalItems: 3,
      itemsRestored: 3,
    });
    await emulator.veleroIdle();
    await expect(
      core.readNamespace({ name: 'restore-test-x' }),
    ).rejects.toThrow();
    expect(
      (await apps.listNamespacedDeployment({ namespace: 'restore-test-3' }))
        .items,
    ).toEqual([]);
  });

  it('ends FailedValidation for a missing backup and for one that is not complete', async () => {
    const missing = await restore({
      backupName: 'nope',
      namespaceMapping: { payments: 'restore-test-4' },
    });
    expect((await follow(missing, final)).status).toEqual({
      phase: 'FailedValidation',
      validationErrors: [
        'Error retrieving backup: backups.velero.io "nope" not found in namespace velero',
      ],
      completionTimestamp: expect.any(String),
    });
    const running = await restore({
      backupName: 'running',
      namespaceMapping: { payments: 'restore-test-4' },
    });
    expect((await follow(running, final)).status).toMatchObject({
      phase: 'FailedValidation',
      validationErrors: [
        'Backup running is in phase InProgress; only a Completed or PartiallyFailed backup can be restored',
      ],
    });
    const unknown = await restore(
      { backupName: 'daily-payments' },
      { [VELERO_ANNOTATIONS.restoreOutcome]: 'explode' },
    );
    expect((await follow(unknown, final)).status.validationErrors?.[0]).toMatch(
      /restore-outcome must be one of/,
    );
    await expect(
      core.readNamespace({ name: 'restore-test-4' }),
    ).rejects.toThrow();
  });

  it('ends PartiallyFailed with partially-fail, leaving one claim Pending', async () => {
    const name = await restore(
      {
        backupName: 'daily-payments',
        namespaceMapping: { payments: 'restore-test-5' },
      },
      { [VELERO_ANNOTATIONS.restoreOutcome]: 'partially-fail' },
    );
    expect((await follow(name, final)).status).toMatchObject({
      phase: 'PartiallyFailed',
      errors: 1,
      progress: { totalItems: 4, itemsRestored: 4 },
    });
    await emulator.veleroIdle();
    expect(
      (await claims('restore-test-5')).map(c => [
        c.metadata?.name,
        c.status?.phase,
      ]),
    ).toEqual([
      ['data-ledger-0', 'Pending'],
      ['data-ledger-1', 'Bound'],
    ]);
  });

  it('ends Failed with a failure reason with fail, restoring nothing', async () => {
    const name = await restore(
      {
        backupName: 'daily-payments',
        namespaceMapping: { payments: 'restore-test-6' },
      },
      {
        [VELERO_ANNOTATIONS.restoreOutcome]: 'fail',
        [VELERO_ANNOTATIONS.failureReason]:
          'error downloading backup: AccessDenied',
      },
    );
    expect((await follow(name, final)).status).toEqual({
      phase: 'Failed',
      startTimestamp: expect.any(String),
      completionTimestamp: expect.any(String),
      failureReason: 'error downloading backup: AccessDenied',
    });
    await expect(
      core.readNamespace({ name: 'restore-test-6' }),
    ).rejects.toThrow();
  });

  it('stays InProgress for ever with hang, and veleroIdle does not wait for it', async () => {
    const name = await restore(
      {
        backupName: 'daily-payments',
        namespaceMapping: { payments: 'restore-test-7' },
      },
      {
        [VELERO_ANNOTATIONS.restoreOutcome]: 'hang',
        [VELERO_ANNOTATIONS.restoreDelayMs]: '0',
      },
    );
    await follow(name, s => s.phase === 'InProgress');
    await emulator.veleroIdle();
    await sleep(300);
    expect(await statusOf(name)).toEqual({
      phase: 'InProgress',
      startTimestamp: expect.any(String),
    });
    await expect(
      core.readNamespace({ name: 'restore-test-7' }),
    ).rejects.toThrow();
  });

  it('leaves restored claims Pending with pvc-bind never, and honours restore-delay-ms', async () => {
    const name = await restore(
      {
        backupName: 'daily-payments',
        namespaceMapping: { payments: 'restore-test-8' },
      },
      {
        [VELERO_ANNOTATIONS.pvcBind]: 'never',
        [VELERO_ANNOTATIONS.restoreDelayMs]: '600',
      },
    );
    await follow(name, s => s.phase === 'InProgress');
    await sleep(300);
    expect((await statusOf(name)).phase).toBe('InProgress');
    expect((await follow(name, final)).status.phase).toBe('Completed');
    await emulator.veleroIdle();
    expect((await claims('restore-test-8')).map(c => c.status?.phase)).toEqual([
      'Pending',
      'Pending',
    ]);
    expect(
      (
        await apps.readNamespacedDeployment({
          namespace: 'restore-test-8',
          name: 'api',
        })
      ).status?.availableReplicas,
    ).toBe(3);
  });

  it('skips an object that exists with a warning, and updates it with existingResourcePolicy update', async () => {
    await core.createNamespace({
      body: { metadata: { name: 'restore-test-9' } },
    });
    await core.createNamespacedPersistentVolumeClaim({
      namespace: 'restore-test-9',
      body: {
        metadata: { name: 'data-ledger-1', labels: { app: 'other' } },
        spec: {
          accessModes: ['ReadWriteOnce'],
          resources: { requests: { storage: '1Gi' } },
        },
      },
    });
    const name = await restore({
      backupName: 'daily-payments',
      namespaceMapping: { payments: 'restore-test-9' },
    });
    expect((await follow(name, final)).status).toMatchObject({
      phase: 'Completed',
      warnings: 1,
      progress: { totalItems: 4, itemsRestored: 4 },
    });
    expect((await follow(name, final)).status.errors).toBeUndefined();
    await emulator.veleroIdle();
    const existing = await core.readNamespacedPersistentVolumeClaim({
      namespace: 'restore-test-9',
      name: 'data-ledger-1',
    });
    expect(existing.metadata?.labels).toEqual({ app: 'other' });
    expect(existing.spec?.resources?.requests?.storage).toBe('1Gi');

    const updating = await restore({
      backupName: 'daily-payments',
      namespaceMapping: { payments: 'restore-test-9' },
      existingResourcePolicy: 'update',
    });
    const { status } = await follow(updating, final);
    expect(status.phase).toBe('Completed');
    expect(status.warnings).toBeUndefined();
    expect(
      (
        await core.readNamespacedPersistentVolumeClaim({
          namespace: 'restore-test-9',
          name: 'data-ledger-1',
        })
      ).metadata?.labels,
    ).toEqual({
      app: 'other',
      [RESTORE_LABELS.restoreName]: updating,
      [RESTORE_LABELS.backupName]: 'daily-payments',
    });
  });

  it('keeps a deleted namespace Terminating, refusing creates into it, then removes it with its content', async () => {
    const name = await restore({
      backupName: 'daily-payments',
      namespaceMapping: { payments: 'restore-test-10' },
    });
    await follow(name, final);
    await emulator.veleroIdle();

    await core.deleteNamespace({ name: 'restore-test-10' });
    const terminating = await core.readNamespace({ name: 'restore-test-10' });
    expect(terminating.metadata?.deletionTimestamp).toBeInstanceOf(Date);
    expect(terminating.status?.phase).toBe('Terminating');
    expect(
      (
        await core.listNamespace({ fieldSelector: 'status.phase=Terminating' })
      ).items.map(n => n.metadata?.name),
    ).toEqual(['restore-test-10']);
    // Its content is still there while it terminates.
    expect(await claims('restore-test-10')).toHaveLength(2);

    const refused = await failure(
      core.createNamespacedPersistentVolumeClaim({
        namespace: 'restore-test-10',
        body: {
          metadata: { name: 'late' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            resources: { requests: { storage: '1Gi' } },
          },
        },
      }),
    );
    expect(refused.code).toBe(403);
    expect(refused.body).toMatchObject({
      kind: 'Status',
      reason: 'Forbidden',
      message:
        'persistentvolumeclaims "late" is forbidden: unable to create new content in namespace restore-test-10 because it is being terminated',
    });
    const again = await failure(
      core.deleteNamespace({ name: 'restore-test-10' }),
    );
    expect(again.code).toBe(409);
    expect(again.body.message).toMatch(
      /The system is ensuring all content is removed from this namespace/,
    );
    // A Restore into it now cannot create anything there.
    const into = await restore({
      backupName: 'daily-payments',
      namespaceMapping: { payments: 'restore-test-10' },
    });
    expect((await follow(into, final)).status).toMatchObject({
      phase: 'PartiallyFailed',
      errors: 4,
    });

    for (let i = 0; i < 500; i++) {
      const gone = await core
        .readNamespace({ name: 'restore-test-10' })
        .then(() => false)
        .catch(() => true);
      if (gone) break;
      await sleep(10);
    }
    expect(
      (await failure(core.readNamespace({ name: 'restore-test-10' }))).code,
    ).toBe(404);
    expect(await claims('restore-test-10')).toEqual([]);
  });
});

describe('the emulator without the simulated Velero', () => {
  it('leaves Restores as created, and deletes a namespace at once without namespaceFinalizeMs', async () => {
    const off = await startEmulator({
      velero: false,
      objects: [
        { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'velero' } },
        {
          apiVersion: 'velero.io/v1',
          kind: 'Restore',
          metadata: { namespace: 'velero', name: 'idle' },
          spec: { backupName: 'anything' },
        },
        {
          apiVersion: 'v1',
          kind: 'PersistentVolumeClaim',
          metadata: { namespace: 'scratch', name: 'data' },
          spec: {},
        },
      ],
    });
    try {
      await sleep(50);
      await off.veleroIdle();
      expect(
        off.get({
          apiVersion: 'velero.io/v1',
          kind: 'Restore',
          namespace: 'velero',
          name: 'idle',
        }).status,
      ).toBeUndefined();
      off.delete({ apiVersion: 'v1', kind: 'Namespace', name: 'scratch' });
      expect(() =>
        off.get({ apiVersion: 'v1', kind: 'Namespace', name: 'scratch' }),
      ).toThrow(/not found/);
      expect(
        off.list({ apiVersion: 'v1', kind: 'PersistentVolumeClaim' }).items,
      ).toEqual([]);
    } finally {
      await off.close();
    }
  });
});
