/*
 * yarn bench [--teams N --services-per-team N --days N] [--duration S] [--runs N] ...
 * (yarn bench --help lists every option)
 *
 * Generates a synthetic cluster and its catalog with the project's generator, serves the
 * cluster with the Kubernetes API emulator, and runs a Backstage backend with the catalog and
 * the Resilience plugin on SQLite, then on PostgreSQL. On each it times the first collection and
 * scoring, then loads the Resilience routes of one entity and the catalog's read of the same
 * entity (the baseline) with autocannon, and writes the medians to BENCHMARKS.md.
 *
 * Every child leads a process group of its own and is stopped, and the run's PostgreSQL
 * databases dropped, when the bench ends, fails or is interrupted.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yaml from 'js-yaml';
import prettier from 'prettier';
import { BENCH_CLUSTER, backendConfig } from './backendConfig';
import { load, stopLoad } from './load';
import { describeCode, describeMachine, Machine, memoryOf } from './machine';
import {
  BenchOptions,
  DatabaseId,
  OptionError,
  parseOptions,
  USAGE,
} from './options';
import {
  dropRunDatabases,
  postgresVersion,
  runDatabasePrefix,
} from './postgres';
import { Child, Children, tailOf } from './processes';
import { DatabaseResult, failures, renderReport } from './report';
import { benchRoutes, Route } from './routes';
import { RunResult } from './stats';
import { TaskRunTracker, TaskState } from './tasks';

const testDir = resolve(__dirname, '../..');
const root = resolve(testDir, '..');
/** How the test tools run from source, as the e2e runner and the generator do. */
const NODE_ARGS = ['--require', '@backstage/cli/config/nodeTransform.cjs'];
const POLL_MS = 100;

const log = (message: string) => console.log(`[bench] ${message}`);

/** Set on Ctrl-C or SIGTERM: what fails after it is the bench stopping, not a finding. */
let interrupted = false;

/** Whether something listens on a local port already. */
function portInUse(port: number): Promise<boolean> {
  return new Promise(done => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

/**
 * Calls `probe` until it gives a value; fails when `child` exits first (with the end of its
 * log) or after `timeoutMs`.
 */
async function waitUntil<T>(options: {
  what: string;
  timeoutMs: number;
  child: Child;
  intervalMs?: number;
  probe: () => Promise<T | undefined>;
}): Promise<T> {
  const deadline = Date.now() + options.timeoutMs;
  let exitCode: number | string | undefined;
  options.child.exited.then(code => {
    exitCode = code;
  });
  let lastError = '';
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `${options.child.name} exited (${exitCode}) before ${
          options.what
        }:\n${tailOf(options.child.logFile)}`,
      );
    }
    try {
      const value = await options.probe();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `no ${options.what} within ${Math.round(options.timeoutMs / 1000)} s${
          lastError ? ` (last: ${lastError})` : ''
        }; the end of the log of ${options.child.name}:\n${tailOf(
          options.child.logFile,
        )}`,
      );
    }
    await sleep(options.intervalMs ?? 500);
  }
}

/** A GET with a bearer token; the status, the parsed body and its size. */
async function get(
  url: string,
  token: string,
): Promise<{ status: number; body: unknown; bytes: number }> {
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // Not JSON: kept as text for the error message.
  }
  return { status: res.status, body, bytes: Buffer.byteLength(text) };
}

/** A GET that must answer 200; its body. */
async function getOk<T>(url: string, token: string): Promise<T> {
  const res = await get(url, token);
  if (res.status !== 200) {
    throw new Error(
      `GET ${url} answered ${res.status}: ${JSON.stringify(res.body).slice(
        0,
        500,
      )}`,
    );
  }
  return res.body as T;
}

/**
 * Waits until the backend has worked off what the last run left it: when the load generator
 * stops, the requests it had sent are still being answered, and would slow the next run. Idle
 * is the health route answering quickly three times in a row.
 */
async function settle(baseUrl: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  let quick = 0;
  await sleep(500);
  while (quick < 3 && Date.now() < deadline) {
    const start = performance.now();
    await fetch(`${baseUrl}/api/resilience/health`);
    quick = performance.now() - start < 20 ? quick + 1 : 0;
    await sleep(100);
  }
}

/** Tasks of the Resilience plugin, as its scheduler reports them. */
async function taskStates(
  baseUrl: string,
  token: string,
): Promise<Map<string, TaskState | null>> {
  const { tasks } = await getOk<{
    tasks: Array<{ taskId: string; taskState: TaskState | null }>;
  }>(`${baseUrl}/api/resilience/.backstage/scheduler/v1/tasks`, token);
  return new Map(tasks.map(t => [t.taskId, t.taskState]));
}

const COLLECTION_TASK = `resilience-collect-${BENCH_CLUSTER}`;
const SCORES_TASK = 'resilience-scores';

/** The bench of one database: from the backend's start to the last run; stops the backend. */
async function benchDatabase(options: {
  database: DatabaseId;
  bench: BenchOptions;
  children: Children;
  cleanups: Set<() => Promise<void>>;
  work: string;
  catalogFile: string;
  kubeconfig: string;
  routes: Route[];
}): Promise<DatabaseResult> {
  const { database, bench, children, cleanups, work } = options;
  const services = bench.teams * bench.servicesPerTeam;
  const token = randomBytes(24).toString('base64url');
  const baseUrl = `http://127.0.0.1:${bench.backendPort}`;

  const postgres =
    database === 'postgres'
      ? { connectionString: bench.postgres, prefix: runDatabasePrefix() }
      : undefined;
  let dropping: Promise<void> | undefined;
  // Once: by this function's end, or by the clean-up of an interrupted or failed bench.
  const dropDatabases = () =>
    (dropping ??= (async () => {
      if (!postgres) return;
      const names = await dropRunDatabases(postgres);
      log(`dropped the run's databases: ${names.join(', ') || 'none'}`);
    })());
  if (postgres) cleanups.add(dropDatabases);

  const configFile = join(work, `app-config.${database}.yaml`);
  writeFileSync(
    configFile,
    yaml.dump(
      backendConfig({
        port: bench.backendPort,
        database,
        postgres,
        token,
        catalogFile: options.catalogFile,
        kubeconfig: options.kubeconfig,
      }),
    ),
  );

  log(`${database}: starting the backend on ${baseUrl}`);
  const startedAt = Date.now();
  const backend = children.start({
    name: `the backend on ${database}`,
    command: process.execPath,
    args: [
      ...(bench.cpuProf
        ? [
            '--cpu-prof',
            '--cpu-prof-dir',
            resolve(bench.cpuProf),
            '--cpu-prof-name',
            `backend-${database}.cpuprofile`,
          ]
        : []),
      ...NODE_ARGS,
      'src/bench/backend.ts',
      '--config',
      configFile,
    ],
    cwd: testDir,
    logFile: join(work, `backend-${database}.log`),
    env: { NODE_ENV: 'production' },
  });
  try {
    await waitUntil({
      what: 'answer from the backend',
      timeoutMs: 300_000,
      child: backend,
      probe: async () =>
        (await fetch(`${baseUrl}/api/resilience/health`)).ok ? true : undefined,
    });
    const healthyAt = Date.now();
    log(`${database}: up in ${((healthyAt - startedAt) / 1000).toFixed(1)} s`);

    // Every Component with its owner (relations are stitched after ingestion), every Group.
    const count = async (filter: string) =>
      (
        await getOk<{ totalItems: number }>(
          `${baseUrl}/api/catalog/entities/by-query?limit=1&filter=${encodeURIComponent(
            filter,
          )}`,
          token,
        )
      ).totalItems;
    await waitUntil({
      what: `catalog of ${services} owned components`,
      timeoutMs: 900_000,
      child: backend,
      probe: async () =>
        (await count('kind=component,relations.ownedBy')) === services &&
        (await count('kind=group')) === bench.teams
          ? true
          : undefined,
    });
    const catalogAt = Date.now();
    log(
      `${database}: the catalog has every entity after ${(
        (catalogAt - healthyAt) /
        1000
      ).toFixed(1)} s`,
    );

    // Starting a collection takes a user: a guest's token, as the demo's frontend has.
    const refresh = await fetch(
      `${baseUrl}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    if (!refresh.ok) {
      throw new Error(`guest sign-in answered ${refresh.status}`);
    }
    const userToken = (
      (await refresh.json()) as { backstageIdentity: { token: string } }
    ).backstageIdentity.token;

    const before = await taskStates(baseUrl, token);
    const collection = TaskRunTracker.after(before.get(COLLECTION_TASK));
    const scoring = TaskRunTracker.after(before.get(SCORES_TASK));
    const trigger = await fetch(
      `${baseUrl}/api/resilience/collection/${BENCH_CLUSTER}/run`,
      { method: 'POST', headers: { authorization: `Bearer ${userToken}` } },
    );
    if (trigger.status !== 202) {
      throw new Error(
        `starting the collection answered ${
          trigger.status
        }: ${await trigger.text()}`,
      );
    }
    log(`${database}: first collection started`);
    await waitUntil({
      what: 'end of the first collection and scoring',
      timeoutMs: 2 * 3_600_000,
      child: backend,
      intervalMs: POLL_MS,
      probe: async () => {
        const states = await taskStates(baseUrl, token);
        const at = Date.now();
        collection.observe(states.get(COLLECTION_TASK), at);
        // The collection triggers the scoring as it ends.
        if (collection.finished) scoring.observe(states.get(SCORES_TASK), at);
        return scoring.finished;
      },
    });
    const collected = collection.finished!;
    const scored = scoring.finished!;
    for (const [what, run] of [
      ['collection', collected],
      ['scoring', scored],
    ] as const) {
      if (run.error) throw new Error(`the ${what} failed: ${run.error}`);
    }
    log(
      `${database}: collected in ${(
        (collected.endedAt - collected.startedAt) /
        1000
      ).toFixed(1)} s, scored in ${(
        (scored.endedAt - scored.startedAt) /
        1000
      ).toFixed(1)} s`,
    );

    const status = await getOk<{
      items: Array<{
        source: string;
        state: string;
        message?: string;
        itemCount?: number;
      }>;
    }>(`${baseUrl}/api/resilience/collection-status`, token);
    const notOk = status.items.filter(s => s.state !== 'ok');
    if (notOk.length > 0) {
      throw new Error(
        `sources not collected: ${notOk
          .map(s => `${s.source} ${s.state}: ${s.message ?? ''}`)
          .join('; ')}`,
      );
    }
    const organisation = await getOk<{ distribution: Record<string, number> }>(
      `${baseUrl}/api/resilience/scorecard`,
      token,
    );
    const stored = Object.values(organisation.distribution).reduce(
      (a, b) => a + b,
      0,
    );
    if (stored !== services) {
      throw new Error(
        `${stored} of ${services} components have a stored score after the first scoring`,
      );
    }
    const memoryAfterScoring = memoryOf(backend.pid)!;

    // Load on a route that fails, or answers nothing, measures nothing.
    const responseBytes: DatabaseResult['responseBytes'] = {};
    for (const route of options.routes) {
      const res = await get(`${baseUrl}${route.path}`, token);
      const problem =
        res.status === 200 ? route.problem(res.body) : `status ${res.status}`;
      if (problem) {
        throw new Error(
          `GET ${
            route.path
          } is not fit to measure: ${problem}: ${JSON.stringify(res.body).slice(
            0,
            500,
          )}`,
        );
      }
      responseBytes[route.id] = res.bytes;
    }

    const loadRoute = async (route: Route, seconds: number) => {
      const result = await load({
        url: `${baseUrl}${route.path}`,
        token,
        connections: bench.connections,
        seconds,
      });
      await settle(baseUrl);
      return result;
    };
    if (bench.warmup > 0) {
      log(`${database}: warming up, ${bench.warmup} s per route`);
      for (const route of options.routes) await loadRoute(route, bench.warmup);
    }
    const runs: DatabaseResult['runs'] = {};
    for (let run = 1; run <= bench.runs; run++) {
      for (const route of options.routes) {
        const result: RunResult = await loadRoute(route, bench.duration);
        (runs[route.id] ??= []).push(result);
        log(
          `${database}: ${route.id} run ${run}/${bench.runs}: ${Math.round(
            result.requestsPerSecond,
          )} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms${
            result.non2xx + result.errors > 0
              ? `, ${result.non2xx} non-2xx, ${result.errors} errors`
              : ''
          }`,
        );
      }
    }
    const memoryAtEnd = memoryOf(backend.pid)!;

    const collectedBySource = new Map<string, number>();
    for (const s of status.items) {
      collectedBySource.set(
        s.source,
        (collectedBySource.get(s.source) ?? 0) + (s.itemCount ?? 0),
      );
    }
    return {
      database,
      startupMs: healthyAt - startedAt,
      catalogMs: catalogAt - healthyAt,
      collection: collected,
      scoring: scored,
      collected: [...collectedBySource].map(([source, items]) => ({
        source,
        items,
      })),
      memoryAfterScoring,
      memoryAtEnd,
      responseBytes,
      runs,
    };
  } finally {
    await children.stop(backend);
    if (postgres) {
      await dropDatabases();
      cleanups.delete(dropDatabases);
    }
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(args, process.env);
  for (const port of [options.backendPort, options.emulatorPort]) {
    if (await portInUse(port)) {
      throw new Error(
        `port ${port} is in use (another bench still running?); stop it, or pick another with --backend-port or --emulator-port`,
      );
    }
  }
  const startedAt = new Date();
  const code = describeCode(root);
  const machine: Machine = describeMachine();
  if (options.databases.includes('postgres')) {
    // Before generating anything: a PostgreSQL that does not answer fails the bench at once.
    machine.postgres = await postgresVersion(options.postgres);
  }

  const work = mkdtempSync(join(tmpdir(), 'resilience-bench-'));
  const children = Children.create();
  const cleanups = new Set<() => Promise<void>>();
  let failed = true;
  let cleaning: Promise<void> | undefined;
  // Once, whether the bench ends, fails or is interrupted; the data is kept when it failed.
  const cleanUp = () =>
    (cleaning ??= (async () => {
      stopLoad();
      await children.stopAll();
      for (const cleanup of [...cleanups].reverse()) {
        await cleanup().catch(error =>
          console.error(`[bench] cleaning up: ${(error as Error).message}`),
        );
      }
      if ((failed && !interrupted) || options.keep) {
        log(`the generated data and the logs are in ${work}`);
      } else {
        rmSync(work, { recursive: true, force: true });
      }
    })());
  const interrupt = (signal: string) => {
    if (interrupted) return;
    interrupted = true;
    console.error(`[bench] ${signal}: stopping`);
    cleanUp().finally(() => process.exit(130));
  };
  process.on('SIGINT', () => interrupt('SIGINT'));
  process.on('SIGTERM', () => interrupt('SIGTERM'));

  try {
    const manifests = join(work, 'manifests');
    const catalogFile = join(work, 'catalog.yaml');
    const kubeconfig = join(work, 'kubeconfig');
    const services = options.teams * options.servicesPerTeam;
    log(
      `generating ${services} services (${options.teams} teams × ${options.servicesPerTeam}, ${options.days} days of backups)`,
    );
    await children.run({
      name: 'the generator',
      command: process.execPath,
      args: [
        ...NODE_ARGS,
        'src/generator/cli.ts',
        '--out',
        manifests,
        '--teams',
        String(options.teams),
        '--services-per-team',
        String(options.servicesPerTeam),
        '--days',
        String(options.days),
        '--catalog',
        catalogFile,
      ],
      cwd: testDir,
      logFile: join(work, 'generate.log'),
    });

    log(`starting the Kubernetes API emulator on port ${options.emulatorPort}`);
    const emulator = children.start({
      name: 'the emulator',
      command: process.execPath,
      args: [
        ...NODE_ARGS,
        'src/emulator/cli.ts',
        '--manifests',
        manifests,
        '--port',
        String(options.emulatorPort),
        '--host',
        '127.0.0.1',
        '--kubeconfig',
        kubeconfig,
      ],
      cwd: testDir,
      logFile: join(work, 'emulator.log'),
    });
    await waitUntil({
      what: 'kubeconfig from the emulator',
      timeoutMs: 900_000,
      child: emulator,
      probe: async () => (existsSync(kubeconfig) ? true : undefined),
    });

    const entity = 'svc-0-0';
    const team = 'team-0';
    const routes = benchRoutes({
      entity,
      team,
      servicesPerTeam: options.servicesPerTeam,
    });
    const results: DatabaseResult[] = [];
    for (const database of options.databases) {
      results.push(
        await benchDatabase({
          database,
          bench: options,
          children,
          cleanups,
          work,
          catalogFile,
          kubeconfig,
          routes,
        }),
      );
    }

    const out = options.out
      ? resolve(process.env.INIT_CWD ?? process.cwd(), options.out)
      : join(root, 'BENCHMARKS.md');
    const report = {
      options,
      machine,
      code,
      startedAt,
      elapsedMs: Date.now() - startedAt.getTime(),
      entity,
      team,
      routes,
      results,
    };
    // As the repository's prettier check wants it, so that the report can be committed as is.
    const style = await prettier.resolveConfig(join(root, 'BENCHMARKS.md'));
    writeFileSync(
      out,
      prettier.format(renderReport(report), {
        ...style,
        parser: 'markdown',
      }),
    );
    log(`wrote ${out}`);
    failed = false;
    const invalid = failures(report);
    if (invalid.length > 0) {
      console.error(
        `[bench] some responses were not 2xx: ${JSON.stringify(invalid)}`,
      );
      return 1;
    }
    return 0;
  } finally {
    await cleanUp();
  }
}

main().then(
  code => {
    // An interrupted bench exits from its signal handler, once cleaned up.
    if (!interrupted) process.exit(code);
  },
  error => {
    if (interrupted) return;
    if (error instanceof OptionError) {
      console.error(`bench: ${error.message}\n\n${USAGE}`);
      process.exit(2);
    }
    console.error(`[bench] failed: ${(error as Error).message}`);
    process.exit(1);
  },
);
