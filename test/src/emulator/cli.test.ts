import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';

jest.setTimeout(60_000);

const run = promisify(execFile);

/** `yarn emulator` as a process: serves a manifests folder, and logs what it answered. */
describe('the emulator command', () => {
  let dir: string;
  let child: ChildProcess | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-cli-'));
    await writeFile(
      join(dir, 'namespaces.yaml'),
      ['shop', 'data']
        .map(
          name =>
            `apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ${name}\n`,
        )
        .join('---\n'),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Starts the command on `manifests`; resolves with its kubeconfig once it is written. */
  async function start(manifests: string, ...args: string[]) {
    const kubeconfig = join(manifests, 'kubeconfig');
    child = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        join(__dirname, 'cli.ts'),
        '--manifests',
        manifests,
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        ...args,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 300 && !existsSync(kubeconfig); i++) await sleep(50);
    expect(existsSync(kubeconfig)).toBe(true);
    return kubeconfig;
  }

  afterEach(() => {
    child?.kill('SIGTERM');
    child = undefined;
  });

  it('appends each answered request to --requests-log before its answer is read', async () => {
    const log = join(dir, 'requests.jsonl');
    const kubeconfig = await start(dir, '--requests-log', log);

    const { stdout } = await run('kubectl', [
      '--kubeconfig',
      kubeconfig,
      'get',
      'namespaces',
      '--chunk-size',
      '1',
      '-o',
      'name',
    ]);
    // The manifests' two, and `default`, which every cluster has.
    expect(stdout.trim().split('\n').sort()).toEqual([
      'namespace/data',
      'namespace/default',
      'namespace/shop',
    ]);
    const lines = (await readFile(log, 'utf8'))
      .trim()
      .split('\n')
      .map(line => JSON.parse(line));
    const pages = lines.filter(l => l.path === '/api/v1/namespaces');
    // One page per namespace, each after the first asked for with the continue token it got.
    expect(pages).toHaveLength(3);
    expect(pages.map(p => [p.method, p.status])).toEqual([
      ['GET', 200],
      ['GET', 200],
      ['GET', 200],
    ]);
    const query = pages.map(p => new URLSearchParams(p.query));
    expect(query.map(q => q.get('limit'))).toEqual(['1', '1', '1']);
    expect(query.map(q => Boolean(q.get('continue')))).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('with --wait-for-certificates, serves once every Certificate is issued', async () => {
    const manifests = await mkdtemp(join(tmpdir(), 'emulator-cli-certs-'));
    try {
      const certificates = Array.from(
        { length: 5 },
        (_, i) => `---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: web-${i}
  namespace: default
spec:
  secretName: web-${i}-tls
  dnsNames: [web-${i}.example.com]
  issuerRef: { kind: ClusterIssuer, name: self-signed }
  privateKey: { algorithm: ECDSA, size: 256 }
`,
      ).join('');
      await writeFile(
        join(manifests, 'certificates.yaml'),
        `apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: self-signed
spec:
  selfSigned: {}
${certificates}`,
      );
      const kubeconfig = await start(manifests, '--wait-for-certificates');
      // Asked at once: each Certificate's Secret is there, without waiting for its issuance.
      const { stdout } = await run('kubectl', [
        '--kubeconfig',
        kubeconfig,
        'get',
        'secrets',
        '-n',
        'default',
        '--field-selector',
        'type=kubernetes.io/tls',
        '-o',
        'name',
      ]);
      expect(stdout.trim().split('\n').sort()).toEqual(
        [0, 1, 2, 3, 4].map(i => `secret/web-${i}-tls`),
      );
    } finally {
      await rm(manifests, { recursive: true, force: true });
    }
  });
});
