import { mockServices } from '@backstage/backend-test-utils';
import { RunningEmulator, startEmulator } from '@internal/resilience-test';
import { CollectionSource } from '@resilience-for-backstage/plugin-resilience-common';
import { ClusterClient } from '../kubernetes/ClusterClient';
import {
  ClusterWatcher,
  WatchedChanges,
  watchedResources,
} from './ClusterWatcher';

jest.setTimeout(60_000);

const backup = (name: string, phase = 'InProgress') => ({
  apiVersion: 'velero.io/v1',
  kind: 'Backup',
  metadata: { namespace: 'velero', name },
  spec: { includedNamespaces: ['payments'] },
  status: { phase },
});

const pvc = (name: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { namespace: 'payments', name },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
  },
});

const BACKUPS_PATH = '/apis/velero.io/v1/namespaces/velero/backups';

/**
 * One `onChange` call, sorted: `<source> <type> <name> <phase>` per change, and `relist <source>`
 * per source to list.
 */
function summary({ changes, relist }: WatchedChanges): string[] {
  return [
    ...changes.map(({ source, type, object }) =>
      [
        source,
        type,
        object.metadata?.name,
        (object as { status?: { phase?: string } }).status?.phase,
      ]
        .filter(Boolean)
        .join(' '),
    ),
    ...relist.map(source => `relist ${source}`),
  ].sort();
}

/** Waits until `condition` holds, polling. */
async function eventually(condition: () => boolean, what: string) {
  const deadline = Date.now() + 15_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise(r => setTimeout(r, 20));
  }
}

describe('ClusterWatcher against the emulator', () => {
  let emulator: RunningEmulator;
  let watcher: ClusterWatcher | undefined;
  let logger: ReturnType<typeof mockServices.logger.mock>;
  let calls: string[][];

  const start = (options: { timeoutSeconds?: number } = {}) => {
    const client = ClusterClient.create({
      cluster: {
        type: 'url',
        name: 'emulated',
        veleroNamespace: 'velero',
        url: emulator.url,
        token: emulator.token,
        caData: Buffer.from(emulator.caPem).toString('base64'),
        skipTLSVerify: false,
      },
    });
    watcher = new ClusterWatcher({
      client,
      resources: watchedResources('velero'),
      logger,
      debounceMs: 100,
      initialBackoffMs: 20,
      maxBackoffMs: 200,
      timeoutSeconds: options.timeoutSeconds
        ? () => options.timeoutSeconds!
        : undefined,
      onChange: async changed => {
        calls.push(summary(changed));
      },
    });
    watcher.start();
  };

  /** Resolves once every watched resource has an open watch. */
  const watching = (count = Object.keys(watchedResources('velero')).length) =>
    eventually(
      () =>
        emulator.requests.filter(
          r => /(^|&)watch=true/.test(r.query) && r.status === undefined,
        ).length >= count,
      'the watches to open',
    );

  beforeEach(async () => {
    emulator = await startEmulator({
      objects: [backup('daily-1', 'Completed'), pvc('data-0')],
      certManager: false,
      velero: false,
    });
    logger = mockServices.logger.mock();
    calls = [];
  });

  afterEach(async () => {
    await watcher?.stop();
    watcher = undefined;
    await emulator.close();
  });

  it('hands over the last change of each object once per burst of changes, and none of objects it does not watch', async () => {
    start();
    await watching();
    // Starting is not a change: the schedule's collection covers what was there.
    await new Promise(r => setTimeout(r, 300));
    expect(calls).toEqual([]);

    emulator.apply(pvc('data-1'));
    emulator.apply(backup('daily-2'));
    emulator.apply(backup('daily-2', 'Completed'));
    emulator.apply(backup('daily-3'));
    await eventually(() => calls.length > 0, 'a collection');
    await new Promise(r => setTimeout(r, 300));
    expect(calls).toEqual([
      [
        'velero-backups ADDED daily-3 InProgress',
        'velero-backups MODIFIED daily-2 Completed',
      ],
    ]);

    emulator.apply({
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { namespace: 'payments', name: 'web' },
      spec: {
        secretName: 'web-tls',
        dnsNames: ['web.example.com'],
        issuerRef: { name: 'letsencrypt', kind: 'ClusterIssuer' },
      },
    });
    emulator.delete({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      namespace: 'velero',
      name: 'daily-1',
    });
    await eventually(() => calls.length > 1, 'a second collection');
    await new Promise(r => setTimeout(r, 300));
    expect(calls.slice(1)).toEqual([
      ['certificates ADDED web', 'velero-backups DELETED daily-1 Completed'],
    ]);
  });

  it('resumes from the last resourceVersion when the server ends a watch, missing nothing', async () => {
    start({ timeoutSeconds: 1 });
    await watching();
    const opened = () =>
      emulator.requests.filter(
        r => r.path === BACKUPS_PATH && /(^|&)watch=true/.test(r.query),
      );
    await eventually(() => opened().length >= 2, 'a second watch');
    // Only the first watch of backups starts from a list's resourceVersion: the others resume.
    const lists = emulator.requests.filter(
      r => r.path === BACKUPS_PATH && !/watch=true/.test(r.query),
    );
    expect(lists).toHaveLength(1);
    expect(lists[0].query).toMatch(/limit=1/);
    const versions = opened().map(r =>
      Number(new URLSearchParams(r.query).get('resourceVersion')),
    );
    expect(versions.every(v => v > 0)).toBe(true);
    expect(
      new URLSearchParams(opened()[0].query).get('allowWatchBookmarks'),
    ).toBe('true');

    emulator.apply(backup('daily-2'));
    await eventually(() => calls.length > 0, 'a collection');
    expect(calls).toEqual([['velero-backups ADDED daily-2 InProgress']]);
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('has the source listed when its resourceVersion is too old to resume (410), then watches on', async () => {
    start({ timeoutSeconds: 1 });
    await watching();
    emulator.apply(backup('daily-2'));
    await eventually(() => calls.length === 1, 'a collection');
    // Changes the watch never sees, forgotten by the server: the next resume is a 410.
    emulator.apply(pvc('data-1'));
    emulator.compactWatchHistory();
    // Every watch resumes from before the compaction: each is a 410, and its source is
    // collected again, whether it changed or not.
    const sources = Object.keys(
      watchedResources('velero'),
    ) as CollectionSource[];
    const expired = () =>
      sources.filter(source =>
        logger.info.mock.calls.some(([message]) =>
          String(message).includes(
            `The watch of ${source} in cluster emulated is too old to resume (410 Gone)`,
          ),
        ),
      );
    await eventually(
      () => expired().length === sources.length,
      'a 410 for every watch',
    );
    await eventually(
      () =>
        sources.every(s =>
          calls.slice(1).some(call => call.includes(`relist ${s}`)),
        ),
      'every source listed after its 410',
    );
    await new Promise(r => setTimeout(r, 500));
    const before = calls.length;
    emulator.apply(backup('daily-3'));
    await eventually(
      () => calls.length > before,
      'a collection after the new watches',
    );
    await new Promise(r => setTimeout(r, 500));
    // The new watches start from new lists: no more 410s, only the change.
    expect(calls.slice(before)).toEqual([
      ['velero-backups ADDED daily-3 InProgress'],
    ]);
  });

  it('retries with backoff through server errors, and says what to grant when watching is forbidden', async () => {
    emulator.injectFault({ pathPrefix: BACKUPS_PATH, status: 500, times: 3 });
    emulator.forbid({
      verb: 'watch',
      group: 'cert-manager.io',
      resource: 'certificates',
    });
    start();
    // Every one but the forbidden.
    await watching(Object.keys(watchedResources('velero')).length - 1);
    emulator.apply(backup('daily-2'));
    await eventually(() => calls.length > 0, 'a collection');
    expect(calls).toEqual([['velero-backups ADDED daily-2 InProgress']]);
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Could not watch velero-backups in cluster emulated: .*500/,
      ),
    );
    await eventually(
      () =>
        logger.warn.mock.calls.some(([m]) =>
          /^Could not watch certificates in cluster emulated \(grant the service account "watch" on it, or set resilience\.collection\.watch to false\)/.test(
            String(m),
          ),
        ),
      'the forbidden warning',
    );
    // One warning per failing run of a resource, then quieter retries.
    const attempts = emulator.requests.filter(
      r =>
        r.path === '/apis/cert-manager.io/v1/certificates' &&
        /watch=true/.test(r.query),
    ).length;
    await eventually(
      () =>
        emulator.requests.filter(
          r =>
            r.path === '/apis/cert-manager.io/v1/certificates' &&
            /watch=true/.test(r.query),
        ).length > attempts,
      'a retry',
    );
    expect(
      logger.warn.mock.calls.filter(([m]) => /certificates/.test(String(m))),
    ).toHaveLength(1);
  });

  it('stops with its watches open, and collects nothing after', async () => {
    start();
    await watching();
    // Resolves without waiting for the server to end the watches (minutes away).
    await watcher!.stop();
    watcher = undefined;
    emulator.apply(backup('daily-2'));
    await new Promise(r => setTimeout(r, 300));
    expect(calls).toEqual([]);
  });
});
