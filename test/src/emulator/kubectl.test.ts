import { execFile, spawn } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RunningEmulator, startEmulator } from './index';

jest.setTimeout(60_000);

const run = promisify(execFile);

/**
 * The real kubectl (it must be on PATH) is the independent proof that the emulator speaks the
 * Kubernetes API: discovery, lists with selectors and paging, apply (create, then patch) and delete.
 */
describe('kubectl against the emulator', () => {
  let emulator: RunningEmulator;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    try {
      const { stdout } = await run('kubectl', [
        '--kubeconfig',
        join(dir, 'kubeconfig'),
        ...args,
      ]);
      return stdout;
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      if (e.code === 'ENOENT') {
        throw new Error(
          'kubectl is not on PATH; install it to run the emulator tests',
        );
      }
      throw new Error(
        `kubectl ${args.join(' ')} failed: ${e.stderr ?? e.message}`,
      );
    }
  };
  const names = (output: string) =>
    output
      .trim()
      .split('\n')
      .filter(Boolean)
      .map(line => line.split('/').pop());

  beforeAll(async () => {
    const pvc = (namespace: string, name: string, app: string) => ({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { namespace, name, labels: { app } },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    const backup = (name: string, namespace: string) => ({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      metadata: {
        namespace: 'velero',
        name,
        labels: { 'velero.io/schedule-name': `daily-${namespace}` },
      },
      spec: { includedNamespaces: [namespace] },
      status: { phase: 'Completed' },
    });
    emulator = await startEmulator({
      bookmarkIntervalMs: 200,
      objects: [
        pvc('payments', 'ledger-0', 'ledger'),
        pvc('payments', 'ledger-1', 'ledger'),
        pvc('search', 'index-0', 'search'),
        pvc('search', 'index-1', 'search'),
        pvc('web', 'cache-0', 'web'),
        backup('daily-payments-1', 'payments'),
        backup('daily-search-1', 'search'),
      ],
    });
    dir = await mkdtemp(join(tmpdir(), 'kubectl-'));
    await emulator.writeKubeconfig(join(dir, 'kubeconfig'));
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('gets core and custom resources across namespaces', async () => {
    expect(names(await kubectl('get', 'pvc', '-A', '-o', 'name'))).toEqual([
      'ledger-0',
      'ledger-1',
      'index-0',
      'index-1',
      'cache-0',
    ]);
    expect(
      names(await kubectl('get', 'backups.velero.io', '-A', '-o', 'name')),
    ).toEqual(['daily-payments-1', 'daily-search-1']);
    const table = await kubectl(
      'get',
      'persistentvolumeclaims',
      '--all-namespaces',
    );
    expect(table).toMatch(/NAMESPACE\s+NAME/);
    expect(table).toMatch(/search\s+index-1/);
  });

  it('filters with -l selectors', async () => {
    expect(
      names(
        await kubectl('get', 'pvc', '-A', '-l', 'app=search', '-o', 'name'),
      ),
    ).toEqual(['index-0', 'index-1']);
    expect(
      names(
        await kubectl(
          'get',
          'pvc',
          '-A',
          '-l',
          'app in (web,ledger)',
          '-o',
          'name',
        ),
      ),
    ).toEqual(['ledger-0', 'ledger-1', 'cache-0']);
    expect(
      names(
        await kubectl(
          'get',
          'backups.velero.io',
          '-n',
          'velero',
          '-l',
          'velero.io/schedule-name=daily-search',
          '-o',
          'name',
        ),
      ),
    ).toEqual(['daily-search-1']);
  });

  it('pages with --chunk-size', async () => {
    const before = emulator.requests.length;
    expect(
      names(await kubectl('get', 'pvc', '-A', '--chunk-size=2', '-o', 'name')),
    ).toHaveLength(5);
    const pages = emulator.requests
      .slice(before)
      .filter(r => r.path === '/api/v1/persistentvolumeclaims');
    expect(pages).toHaveLength(3);
    expect(pages[0].query).toMatch(/limit=2/);
    expect(pages[1].query).toMatch(/continue=/);
    expect(pages[2].query).toMatch(/continue=/);
  });

  it('applies, re-applies and deletes a Velero Backup manifest', async () => {
    const manifest = (ttl: string) => `apiVersion: velero.io/v1
kind: Backup
metadata:
  name: manual-before-upgrade
  namespace: velero
spec:
  includedNamespaces: [payments]
  ttl: ${ttl}
`;
    const file = join(dir, 'backup.yaml');
    await writeFile(file, manifest('24h0m0s'));
    expect(await kubectl('apply', '-f', file)).toMatch(
      /backup.velero.io\/manual-before-upgrade created/,
    );
    expect(
      emulator.get({
        apiVersion: 'velero.io/v1',
        kind: 'Backup',
        namespace: 'velero',
        name: 'manual-before-upgrade',
      }).spec,
    ).toEqual({
      includedNamespaces: ['payments'],
      ttl: '24h0m0s',
    });

    await writeFile(file, manifest('48h0m0s'));
    expect(await kubectl('apply', '-f', file)).toMatch(/configured/);
    expect(
      await kubectl(
        'get',
        'backup.velero.io',
        'manual-before-upgrade',
        '-n',
        'velero',
        '-o',
        'jsonpath={.spec.ttl}',
      ),
    ).toBe('48h0m0s');
    expect(
      emulator.requests.some(
        r => r.method === 'PATCH' && r.path.endsWith('/manual-before-upgrade'),
      ),
    ).toBe(true);

    expect(await kubectl('delete', '-f', file)).toMatch(/deleted/);
    expect(() =>
      emulator.get({
        apiVersion: 'velero.io/v1',
        kind: 'Backup',
        namespace: 'velero',
        name: 'manual-before-upgrade',
      }),
    ).toThrow(/not found/);
  });

  it('refuses an invalid manifest with the server-side validation error', async () => {
    const file = join(dir, 'invalid.yaml');
    await writeFile(
      file,
      'apiVersion: velero.io/v1\nkind: Backup\nmetadata:\n  name: bad\n  namespace: velero\nspec:\n  ttl: 5\n',
    );
    await expect(kubectl('apply', '-f', file)).rejects.toThrow(/spec\.ttl/);
  });

  it('creates a Velero Restore that the simulated Velero completes', async () => {
    const file = join(dir, 'restore.yaml');
    await writeFile(
      file,
      `apiVersion: velero.io/v1
kind: Restore
metadata:
  name: restore-payments
  namespace: velero
spec:
  backupName: daily-payments-1
  includedNamespaces: [payments]
  namespaceMapping:
    payments: restore-test-kubectl
`,
    );
    expect(await kubectl('create', '-f', file)).toMatch(
      /restore.velero.io\/restore-payments created/,
    );
    await emulator.veleroIdle();
    const jsonpath = (path: string) =>
      kubectl(
        'get',
        'restores.velero.io',
        'restore-payments',
        '-n',
        'velero',
        '-o',
        `jsonpath=${path}`,
      );
    expect(await jsonpath('{.status.phase}')).toBe('Completed');
    expect(await jsonpath('{.status.progress.itemsRestored}')).toBe('2');
    expect(
      await kubectl(
        'get',
        'pvc',
        '-n',
        'restore-test-kubectl',
        '-o',
        'jsonpath={.items[*].status.phase}',
      ),
    ).toBe('Bound Bound');
  });

  /** Starts `kubectl get -w`, with what it has printed so far and a wait for a line. */
  const watch = (...args: string[]) => {
    const child = spawn('kubectl', [
      '--kubeconfig',
      join(dir, 'kubeconfig'),
      ...args,
    ]);
    let out = '';
    let err = '';
    const exited = new Promise<number | null>(done =>
      child.once('exit', code => done(code)),
    );
    child.stdout.on('data', chunk => {
      out += chunk;
    });
    child.stderr.on('data', chunk => {
      err += chunk;
    });
    return {
      lines: () => out.trim().split('\n').filter(Boolean),
      stderr: () => err,
      exited,
      async waitFor(pattern: RegExp) {
        const deadline = Date.now() + 15_000;
        while (!pattern.test(out)) {
          if (Date.now() > deadline) {
            throw new Error(
              `kubectl ${args.join(
                ' ',
              )} did not print ${pattern} in 15 s; printed:\n${out}${err}`,
            );
          }
          await new Promise(r => setTimeout(r, 50));
        }
      },
      stop: () => child.kill(),
    };
  };

  it('follows changes with get -w: ADDED, MODIFIED and DELETED events, selected by label', async () => {
    const watcher = watch(
      'get',
      'backups.velero.io',
      '-n',
      'velero',
      '-l',
      'velero.io/schedule-name=daily-web',
      '-w',
      '--output-watch-events',
      '-o',
      'custom-columns=EVENT:.type,NAME:.object.metadata.name,PHASE:.object.status.phase',
    );
    try {
      // kubectl lists first, then watches from the list's resourceVersion; its header comes
      // with the first event.
      const deadline = Date.now() + 15_000;
      while (
        !emulator.requests.some(
          r => r.path.endsWith('/backups') && /(^|&)watch=true/.test(r.query),
        )
      ) {
        if (Date.now() > deadline) throw new Error('kubectl did not watch');
        await new Promise(r => setTimeout(r, 50));
      }
      const web = {
        apiVersion: 'velero.io/v1',
        kind: 'Backup',
        metadata: {
          namespace: 'velero',
          name: 'daily-web-1',
          labels: { 'velero.io/schedule-name': 'daily-web' },
        },
        spec: { includedNamespaces: ['web'] },
        status: { phase: 'InProgress' },
      };
      emulator.apply(web);
      // Another schedule's backup is not selected: it must not show.
      emulator.apply({
        ...web,
        metadata: {
          ...web.metadata,
          name: 'daily-search-2',
          labels: { 'velero.io/schedule-name': 'daily-search' },
        },
      });
      await watcher.waitFor(/ADDED\s+daily-web-1\s+InProgress/);
      await kubectl(
        'patch',
        'backups.velero.io',
        'daily-web-1',
        '-n',
        'velero',
        '--type=merge',
        '-p',
        '{"status":{"phase":"Completed"}}',
      );
      await watcher.waitFor(/MODIFIED\s+daily-web-1\s+Completed/);
      await kubectl(
        'delete',
        'backups.velero.io',
        '-n',
        'velero',
        'daily-web-1',
      );
      await watcher.waitFor(/DELETED\s+daily-web-1/);
      expect(
        watcher
          .lines()
          .slice(1)
          .map(l => l.split(/\s+/).slice(0, 2)),
      ).toEqual([
        ['ADDED', 'daily-web-1'],
        ['MODIFIED', 'daily-web-1'],
        ['DELETED', 'daily-web-1'],
      ]);
    } finally {
      watcher.stop();
    }
    emulator.delete({
      apiVersion: 'velero.io/v1',
      kind: 'Backup',
      namespace: 'velero',
      name: 'daily-search-2',
    });
  });

  it('replays the changes after a resourceVersion, and answers 410 Expired once they are compacted', async () => {
    const path = '/api/v1/namespaces/web/persistentvolumeclaims';
    const from = JSON.parse(await kubectl('get', '--raw', path)).metadata
      .resourceVersion as string;
    emulator.apply({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { namespace: 'web', name: 'cache-1' },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '1Gi' } },
      },
    });
    const events = async (query: string) =>
      (await kubectl('get', '--raw', `${path}?watch=true&${query}`))
        .trim()
        .split('\n')
        .map(line => JSON.parse(line));
    // From the list's resourceVersion: the change after it only, until the watch times out.
    const replayed = await events(`resourceVersion=${from}&timeoutSeconds=1`);
    expect(replayed.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'cache-1'],
    ]);
    // Without one: every object as ADDED first, then the changes.
    const initial = await events('timeoutSeconds=1');
    expect(initial.map(e => [e.type, e.object.metadata.name])).toEqual([
      ['ADDED', 'cache-0'],
      ['ADDED', 'cache-1'],
    ]);
    // Bookmarks carry only the resourceVersion to resume from.
    const bookmarked = await events(
      `resourceVersion=${replayed[0].object.metadata.resourceVersion}&allowWatchBookmarks=true&timeoutSeconds=1`,
    );
    expect(bookmarked.length).toBeGreaterThan(0);
    for (const event of bookmarked) {
      expect(event.type).toBe('BOOKMARK');
      expect(
        Number(event.object.metadata.resourceVersion),
      ).toBeGreaterThanOrEqual(
        Number(replayed[0].object.metadata.resourceVersion),
      );
      expect(event.object.spec).toBeUndefined();
    }
    emulator.compactWatchHistory();
    const expired = await events(`resourceVersion=${from}`);
    expect(expired).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({
          kind: 'Status',
          code: 410,
          reason: 'Expired',
          message: expect.stringMatching(/^too old resource version: /),
        }),
      },
    ]);
    await kubectl('delete', 'pvc', '-n', 'web', 'cache-1');
  });
});

/** kubectl as `cmctl renew` and an operator use it on the simulated cert-manager. */
describe('kubectl against the simulated cert-manager', () => {
  let emulator: RunningEmulator;
  let dir: string;
  const kubectl = async (...args: string[]) => {
    try {
      const { stdout } = await run('kubectl', [
        '--kubeconfig',
        join(dir, 'kubeconfig'),
        ...args,
      ]);
      return stdout;
    } catch (error) {
      const e = error as NodeJS.ErrnoException & { stderr?: string };
      throw new Error(
        `kubectl ${args.join(' ')} failed: ${e.stderr ?? e.message}`,
      );
    }
  };

  beforeAll(async () => {
    emulator = await startEmulator({
      certManager: { issueDelayMs: 20 },
      objects: [
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Issuer',
          metadata: { name: 'shop-ca', namespace: 'shop' },
          spec: { ca: { secretName: 'shop-ca-key-pair' } },
        },
        {
          apiVersion: 'cert-manager.io/v1',
          kind: 'Certificate',
          metadata: { name: 'web', namespace: 'shop' },
          spec: {
            secretName: 'web-tls',
            dnsNames: ['web.example.com'],
            issuerRef: { name: 'shop-ca' },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Secret',
          metadata: { name: 'db-password', namespace: 'shop' },
          type: 'Opaque',
          data: { password: Buffer.from('hunter2').toString('base64') },
        },
      ],
    });
    dir = await mkdtemp(join(tmpdir(), 'kubectl-cm-'));
    await emulator.writeKubeconfig(join(dir, 'kubeconfig'));
    await emulator.certManagerIdle();
  });

  afterAll(async () => {
    await emulator?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('re-issues after a merge patch of the status subresource', async () => {
    const revision = () =>
      kubectl(
        'get',
        'certificate',
        'web',
        '-n',
        'shop',
        '-o',
        'jsonpath={.status.revision}',
      );
    const serial = async () => {
      const pem = Buffer.from(
        await kubectl(
          'get',
          'secret',
          'web-tls',
          '-n',
          'shop',
          '-o',
          'jsonpath={.data.tls\\.crt}',
        ),
        'base64',
      ).toString('utf8');
      // tls.crt is the leaf followed by its CA; the leaf comes first.
      return new X509Certificate(pem.split(/(?<=-----END CERTIFICATE-----)/)[0])
        .serialNumber;
    };
    expect(await revision()).toBe('1');
    const before = await serial();

    const conditions = JSON.parse(
      await kubectl(
        'get',
        'certificate',
        'web',
        '-n',
        'shop',
        '-o',
        'jsonpath={.status.conditions}',
      ),
    );
    const patch = {
      status: {
        conditions: [
          ...conditions,
          {
            type: 'Issuing',
            status: 'True',
            reason: 'ManuallyTriggered',
            message: 'Certificate re-issuance manually triggered',
            lastTransitionTime: new Date()
              .toISOString()
              .replace(/\.\d+Z$/, 'Z'),
          },
        ],
      },
    };
    expect(
      await kubectl(
        'patch',
        'certificate',
        'web',
        '-n',
        'shop',
        '--subresource=status',
        '--type=merge',
        '-p',
        JSON.stringify(patch),
      ),
    ).toMatch(/certificate.cert-manager.io\/web patched/);
    await emulator.certManagerIdle();

    expect(await revision()).toBe('2');
    expect(await serial()).not.toBe(before);
    expect(
      await kubectl(
        'get',
        'secret',
        'web-tls',
        '-n',
        'shop',
        '-o',
        'jsonpath={.type}',
      ),
    ).toBe('kubernetes.io/tls');
  });

  it('lists only TLS Secrets with --field-selector type=kubernetes.io/tls', async () => {
    const all = await kubectl('get', 'secrets', '-A', '-o', 'name');
    expect(all).toMatch(/secret\/db-password/);
    expect(
      (
        await kubectl(
          'get',
          'secrets',
          '-A',
          '--field-selector',
          'type=kubernetes.io/tls',
          '-o',
          'name',
        )
      )
        .trim()
        .split('\n'),
    ).toEqual(['secret/web-tls']);
  });
});
