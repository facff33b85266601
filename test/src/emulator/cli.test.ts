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
    child?.kill('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('appends each answered request to --requests-log before its answer is read', async () => {
    const kubeconfig = join(dir, 'kubeconfig');
    const log = join(dir, 'requests.jsonl');
    child = spawn(
      process.execPath,
      [
        '--require',
        '@backstage/cli/config/nodeTransform.cjs',
        join(__dirname, 'cli.ts'),
        '--manifests',
        dir,
        '--port',
        '0',
        '--kubeconfig',
        kubeconfig,
        '--requests-log',
        log,
      ],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 200 && !existsSync(kubeconfig); i++) await sleep(100);
    expect(existsSync(kubeconfig)).toBe(true);

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
});
