/*
 * yarn bench [--teams N --services-per-team N --days N] [--duration S] [--runs N] ...
 * (yarn bench --help lists every option)
 *
 * Generates a synthetic cluster and its catalog with the project's generator, serves the
 * cluster with the Kubernetes API emulator, and runs a Backstage backend with the catalog and
 * the Resilience plugin on SQLite, then on PostgreSQL. On each it times the first collection and
 * scoring, then loads the Resilience routes of one entity and the catalog's read of the same
 * entity (the baseline) with autocannon, and uploads a large SARIF log against JSON.parse of
 * its bytes (`sarifFloor.ts`); then, over a large catalog (one team of 2,000
 * services among 500 teams), the team and organisation scorecards. Then it generates a larger
 * cluster and times its full collection on each database against the floor (`floor.ts`: plain
 * reads of the same pages), and writes the medians to BENCHMARKS.md.
 *
 * Every child leads a process group of its own and is stopped, and the run's PostgreSQL
 * databases dropped, when the bench ends, fails or is interrupted.
 */
import { randomBytes } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import yaml from 'js-yaml';
import prettier from 'prettier';
import { BENCH_CLUSTER, backendConfig } from './backendConfig';
import type { Browser } from 'playwright-core';
import { measureFreshness } from './freshness';
import { bundleSize, launchChromium, measureTab, TabRun } from './tab';
import { readKubeconfig } from './kube';
import { load, stopLoad } from './load';
import {
  cpuTicksOf,
  describeCode,
  describeMachine,
  Machine,
  memoryOf,
} from './machine';
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
import {
  CollectionBench,
  CollectionResult,
  CollectionRun,
  CollectionShape,
  ComparisonBench,
  ComparisonFacts,
  DatabaseResult,
  failures,
  renderReport,
  SarifBench,
  SarifResult,
  ScorecardBench,
  TabBench,
  wrongSarifUploads,
} from './report';
import {
  largeSarif,
  SARIF_CHANGED_EVERY,
  SarifFloorResult,
  SarifUploadResponse,
  SarifUploadRun,
} from './sarif';
import {
  countRequests,
  FloorResult,
  listsOf,
  LoggedRequest,
  parseRequestsLog,
} from './collection';
import {
  benchRoutes,
  comparisonRoutes,
  Route,
  scorecardRoutes,
} from './routes';
import {
  EQUIVALENT_CHECKS,
  RESILIENCE_FACTS,
  techInsightsCheckId,
} from './techInsightsChecks';
import { RunResult } from './stats';
import { TaskRun, TaskRunTracker, TaskState } from './tasks';

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

/**
 * A GET with a bearer token (a POST of `payload` as JSON, when given); the status, the parsed
 * body and its size.
 */
async function get(
  url: string,
  token: string,
  payload?: unknown,
): Promise<{ status: number; body: unknown; bytes: number }> {
  const res = await fetch(url, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'application/json',
      ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(payload === undefined
      ? {}
      : { method: 'POST', body: JSON.stringify(payload) }),
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

/**
 * Resolves once `child` has used at most 2 clock ticks (20 ms) of CPU in each of 3 half-seconds
 * in a row: what was set off before has been done.
 */
async function atRest(child: Child): Promise<void> {
  const deadline = Date.now() + 300_000;
  let quiet = 0;
  let before = cpuTicksOf(child.pid);
  while (quiet < 3) {
    if (Date.now() > deadline) {
      throw new Error(`${child.name} did not come to rest within 300 s`);
    }
    await sleep(500);
    const now = cpuTicksOf(child.pid);
    if (now === undefined || before === undefined) return;
    quiet = now - before <= 2 ? quiet + 1 : 0;
    before = now;
  }
}

/** Tasks of a plugin (the Resilience plugin unless named), as its scheduler reports them. */
async function taskStates(
  baseUrl: string,
  token: string,
  pluginId = 'resilience',
): Promise<Map<string, TaskState | null>> {
  const { tasks } = await getOk<{
    tasks: Array<{ taskId: string; taskState: TaskState | null }>;
  }>(`${baseUrl}/api/${pluginId}/.backstage/scheduler/v1/tasks`, token);
  return new Map(tasks.map(t => [t.taskId, t.taskState]));
}

const COLLECTION_TASK = `resilience-collect-${BENCH_CLUSTER}`;
const SCORES_TASK = 'resilience-scores';

/** A benchmarked backend, up with its catalog complete; `stop` stops it and drops its databases. */
interface BenchBackend {
  backend: Child;
  baseUrl: string;
  /** The static token every measured route accepts. */
  token: string;
  /** A guest's token, for the route that takes a user: starting a collection. */
  userToken: string;
  startupMs: number;
  catalogMs: number;
  stop(): Promise<void>;
}

/** The log of a child since a mark, for `measureFreshness`. */
function logOf(child: Child) {
  return {
    mark: () => statSync(child.logFile).size,
    since: (mark: number) =>
      readFileSync(child.logFile).subarray(mark).toString(),
  };
}

/**
 * Starts a backend on `database` (on PostgreSQL with databases made for it) that reads
 * `catalogFile` and collects the cluster of `kubeconfig` when triggered, and waits until its
 * catalog holds `services` owned Components and `teams` Groups.
 */
async function startBenchBackend(options: {
  database: DatabaseId;
  bench: BenchOptions;
  children: Children;
  cleanups: Set<() => Promise<void>>;
  work: string;
  /** Names its config and log files apart from other backends of the run. */
  label: string;
  catalogFile: string;
  kubeconfig: string;
  services: number;
  teams: number;
  cpuProfName?: string;
  /** `resilience.sast.maxReportSize`, when the plugin's default is too small. */
  maxReportSize?: number;
  /** `resilience.collection.watch`; on when absent. */
  watch?: boolean;
  frontendUrl?: string;
  retentionDays?: number;
  /** The backend's entry point under test/: `src/bench/backend.ts` unless given. */
  script?: string;
  /** With Tech Insights and the Kubernetes plugin beside it (comparisonBackend.ts). */
  comparison?: boolean;
}): Promise<BenchBackend> {
  const { database, bench, children, cleanups, work, label } = options;
  const token = randomBytes(24).toString('base64url');
  const baseUrl = `http://127.0.0.1:${bench.backendPort}`;

  const postgres =
    database === 'postgres'
      ? { connectionString: bench.postgres, prefix: runDatabasePrefix() }
      : undefined;
  let dropping: Promise<void> | undefined;
  // Once: by stop(), or by the clean-up of an interrupted or failed bench.
  const dropDatabases = () =>
    (dropping ??= (async () => {
      if (!postgres) return;
      const names = await dropRunDatabases(postgres);
      log(`dropped the run's databases: ${names.join(', ') || 'none'}`);
    })());
  if (postgres) cleanups.add(dropDatabases);

  const configFile = join(work, `app-config.${label}.yaml`);
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
        maxReportSize: options.maxReportSize,
        watch: options.watch,
        frontendUrl: options.frontendUrl,
        retentionDays: options.retentionDays,
        comparison: options.comparison
          ? { kube: readKubeconfig(options.kubeconfig) }
          : undefined,
      }),
    ),
  );

  log(`${label}: starting the backend on ${baseUrl}`);
  const startedAt = Date.now();
  const backend = children.start({
    name: `the backend on ${database}`,
    command: process.execPath,
    args: [
      ...(bench.cpuProf && options.cpuProfName
        ? [
            '--cpu-prof',
            '--cpu-prof-dir',
            resolve(bench.cpuProf),
            '--cpu-prof-name',
            options.cpuProfName,
          ]
        : []),
      ...NODE_ARGS,
      options.script ?? 'src/bench/backend.ts',
      '--config',
      configFile,
    ],
    cwd: testDir,
    logFile: join(work, `backend-${label}.log`),
    env: { NODE_ENV: 'production' },
  });
  const stop = async () => {
    await children.stop(backend);
    if (postgres) {
      await dropDatabases();
      cleanups.delete(dropDatabases);
    }
  };
  try {
    await waitUntil({
      what: 'answer from the backend',
      timeoutMs: 300_000,
      child: backend,
      probe: async () =>
        (await fetch(`${baseUrl}/api/resilience/health`)).ok ? true : undefined,
    });
    const healthyAt = Date.now();
    log(`${label}: up in ${((healthyAt - startedAt) / 1000).toFixed(1)} s`);

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
      what: `catalog of ${options.services} owned components`,
      // The comparison's catalog of 50,000 entities takes the catalog many minutes to ingest.
      timeoutMs: 2_700_000,
      child: backend,
      probe: async () =>
        (await count('kind=component,relations.ownedBy')) ===
          options.services && (await count('kind=group')) === options.teams
          ? true
          : undefined,
    });
    const catalogAt = Date.now();
    log(
      `${label}: the catalog has every entity after ${(
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
    return {
      backend,
      baseUrl,
      token,
      userToken,
      startupMs: healthyAt - startedAt,
      catalogMs: catalogAt - healthyAt,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts a collection of the bench cluster and waits until it and the scoring it triggers have
 * ended; both runs, failed if either failed. `hooks.beforeStart` runs just before the start is
 * asked for, `hooks.collected` at the first poll that sees the collection ended.
 */
async function collectAndScore(
  running: BenchBackend,
  hooks: { beforeStart?: () => void; collected?: () => void } = {},
): Promise<{ collection: TaskRun; scoring: TaskRun }> {
  const { baseUrl, token, userToken, backend } = running;
  const before = await taskStates(baseUrl, token);
  const collection = TaskRunTracker.after(before.get(COLLECTION_TASK));
  const scoring = TaskRunTracker.after(before.get(SCORES_TASK));
  hooks.beforeStart?.();
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
  await waitUntil({
    what: 'end of the collection and scoring',
    timeoutMs: 2 * 3_600_000,
    child: backend,
    intervalMs: POLL_MS,
    probe: async () => {
      const states = await taskStates(baseUrl, token);
      const at = Date.now();
      if (!collection.finished) {
        collection.observe(states.get(COLLECTION_TASK), at);
        if (collection.finished) hooks.collected?.();
      }
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
  return { collection: collected, scoring: scored };
}

type CollectionStatus = {
  items: Array<{
    source: string;
    state: string;
    message?: string;
    itemCount?: number;
  }>;
};

/** The collection status, which must say every source was collected. */
async function collectionStatus(
  running: BenchBackend,
): Promise<CollectionStatus> {
  const status = await getOk<CollectionStatus>(
    `${running.baseUrl}/api/resilience/collection-status`,
    running.token,
  );
  const notOk = status.items.filter(s => s.state !== 'ok');
  if (notOk.length > 0) {
    throw new Error(
      `sources not collected: ${notOk
        .map(s => `${s.source} ${s.state}: ${s.message ?? ''}`)
        .join('; ')}`,
    );
  }
  return status;
}

/** Items stored per source, summed over the clusters of a collection status. */
function itemsBySource(
  status: CollectionStatus,
): Array<{ source: string; items: number }> {
  const bySource = new Map<string, number>();
  for (const s of status.items) {
    bySource.set(s.source, (bySource.get(s.source) ?? 0) + (s.itemCount ?? 0));
  }
  return [...bySource].map(([source, items]) => ({ source, items }));
}

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
  /** The catalog's Components and Groups. */
  services: number;
  teams: number;
  /** Names the run's log lines and files apart from the other benches of a database. */
  label: string;
  /** The entity whose freshness is measured after the load; not measured when absent. */
  freshnessEntity?: string;
  script?: string;
  comparison?: boolean;
  /** What to do once every entity is scored, before the routes are checked and loaded. */
  beforeLoad?: (running: BenchBackend) => Promise<void>;
}): Promise<DatabaseResult> {
  const { database, bench, services, label } = options;
  const running = await startBenchBackend({
    ...options,
    // backend-<database> for the routes of the first bench, as the README names it.
    cpuProfName: `${
      label === database ? `backend-${database}` : label
    }.cpuprofile`,
  });
  const { backend, baseUrl, token } = running;
  try {
    log(`${label}: first collection started`);
    const { collection: collected, scoring: scored } = await collectAndScore(
      running,
    );
    log(
      `${database}: collected in ${(
        (collected.endedAt - collected.startedAt) /
        1000
      ).toFixed(1)} s, scored in ${(
        (scored.endedAt - scored.startedAt) /
        1000
      ).toFixed(1)} s`,
    );

    const status = await collectionStatus(running);
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
    await options.beforeLoad?.(running);

    // Load on a route that fails, or answers nothing, measures nothing.
    const responseBytes: DatabaseResult['responseBytes'] = {};
    for (const route of options.routes) {
      const res = await get(`${baseUrl}${route.path}`, token, route.body);
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
        body: route.body,
      });
      await settle(baseUrl);
      return result;
    };
    if (bench.warmup > 0) {
      log(`${label}: warming up, ${bench.warmup} s per route`);
      for (const route of options.routes) await loadRoute(route, bench.warmup);
    }
    const runs: DatabaseResult['runs'] = {};
    for (let run = 1; run <= bench.runs; run++) {
      for (const route of options.routes) {
        const result: RunResult = await loadRoute(route, bench.duration);
        (runs[route.id] ??= []).push(result);
        log(
          `${label}: ${route.id} run ${run}/${bench.runs}: ${Math.round(
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

    // After the load, so that no run is measured while the cluster changes.
    const freshness = options.freshnessEntity
      ? await measureFreshness({
          kube: readKubeconfig(options.kubeconfig),
          get: path => getOk(`${baseUrl}${path}`, token),
          entityPath: `/api/resilience/entities/component/default/${options.freshnessEntity}`,
          runs: bench.runs,
          atRest: () => atRest(backend),
          backendLog: logOf(backend),
          log: message => log(`${label}: ${message}`),
        })
      : undefined;

    return {
      database,
      startupMs: running.startupMs,
      catalogMs: running.catalogMs,
      collection: collected,
      scoring: scored,
      collected: itemsBySource(status),
      memoryAfterScoring,
      memoryAtEnd,
      responseBytes,
      runs,
      freshness,
    };
  } finally {
    await running.stop();
  }
}

/** Runs the project's generator: the manifests of a synthetic cluster and its catalog. */
async function generate(options: {
  children: Children;
  work: string;
  label: string;
  manifests: string;
  catalogFile: string;
  args: string[];
  what: string;
}): Promise<void> {
  log(`generating ${options.what}`);
  await options.children.run({
    name: options.label,
    command: process.execPath,
    args: [
      ...NODE_ARGS,
      'src/generator/cli.ts',
      '--out',
      options.manifests,
      ...options.args,
      '--catalog',
      options.catalogFile,
    ],
    cwd: testDir,
    logFile: join(options.work, `${options.label.replace(/\W+/g, '-')}.log`),
  });
}

/**
 * Serves `manifests` with the Kubernetes API emulator; resolves once its kubeconfig is written,
 * which it does once its cert-manager has issued every Certificate.
 */
async function startEmulatorChild(options: {
  children: Children;
  work: string;
  label: string;
  manifests: string;
  kubeconfig: string;
  port: number;
  requestsLog?: string;
}): Promise<Child> {
  log(`starting the Kubernetes API emulator on port ${options.port}`);
  const emulator = options.children.start({
    name: `the ${options.label}`,
    command: process.execPath,
    args: [
      ...NODE_ARGS,
      'src/emulator/cli.ts',
      '--manifests',
      options.manifests,
      '--port',
      String(options.port),
      '--host',
      '127.0.0.1',
      '--kubeconfig',
      options.kubeconfig,
      // Every Certificate issued before anything is measured: the cluster is at rest.
      '--wait-for-certificates',
      ...(options.requestsLog ? ['--requests-log', options.requestsLog] : []),
    ],
    cwd: testDir,
    logFile: join(options.work, `${options.label}.log`),
  });
  await waitUntil({
    what: 'kubeconfig from the emulator',
    timeoutMs: 900_000,
    child: emulator,
    probe: async () => (existsSync(options.kubeconfig) ? true : undefined),
  });
  return emulator;
}

/**
 * Generates a synthetic cluster and its catalog with the project's generator (`args` give its
 * shape) into files named with `prefix`, and serves it with the emulator; resolves once it
 * serves.
 */
async function serveGeneratedCluster(options: {
  children: Children;
  work: string;
  /** `''`, `collection-` or `scorecard-`: the files of each cluster apart. */
  prefix: string;
  args: string[];
  what: string;
  port: number;
  requestsLog?: string;
}): Promise<{ catalogFile: string; kubeconfig: string; emulator: Child }> {
  const { children, work, prefix } = options;
  const manifests = join(work, `${prefix}manifests`);
  const catalogFile = join(work, `${prefix}catalog.yaml`);
  const kubeconfig = join(work, `${prefix}kubeconfig`);
  await generate({
    children,
    work,
    label: `the generator${prefix ? ` (${prefix.slice(0, -1)})` : ''}`,
    manifests,
    catalogFile,
    args: options.args,
    what: options.what,
  });
  const emulator = await startEmulatorChild({
    children,
    work,
    label: `${prefix}emulator`,
    manifests,
    kubeconfig,
    port: options.port,
    requestsLog: options.requestsLog,
  });
  return { catalogFile, kubeconfig, emulator };
}

/** The requests the emulator has logged since `from` lines. */
function requestsSince(file: string, from: number): LoggedRequest[] {
  return parseRequestsLog(readFileSync(file, 'utf8')).slice(from);
}

/** Runs the floor once in a process of its own; what it measured. */
async function runFloor(options: {
  children: Children;
  work: string;
  kubeconfig: string;
  listsFile: string;
  run: number;
  database: DatabaseId;
}): Promise<FloorResult> {
  const out = join(
    options.work,
    `floor-${options.database}-${options.run}.json`,
  );
  await options.children.run({
    name: 'the floor',
    command: process.execPath,
    args: [
      ...NODE_ARGS,
      'src/bench/floor.ts',
      '--kubeconfig',
      options.kubeconfig,
      '--lists',
      options.listsFile,
    ],
    cwd: testDir,
    logFile: out,
  });
  return lastResult<FloorResult>(out, 'the floor');
}

/** The result a floor process printed: the last line of its log that is a JSON object. */
function lastResult<T>(logFile: string, what: string): T {
  const line = readFileSync(logFile, 'utf8')
    .split('\n')
    .reverse()
    .find(l => l.startsWith('{'));
  if (!line) throw new Error(`${what} printed no result:\n${tailOf(logFile)}`);
  return JSON.parse(line) as T;
}

/** What a part of the bench after the first is run with. */
interface BenchPhase {
  options: BenchOptions;
  children: Children;
  cleanups: Set<() => Promise<void>>;
  work: string;
}

/**
 * The full collection of a large cluster, on each database: per run a backend with databases
 * of its own, whose first collection (into empty tables) and second (of the same, unchanged
 * objects) are timed, with its resident set's peak during each (`VmHWM`, reset just before
 * through `/proc/<pid>/clear_refs`), and the requests the emulator answered during each; then
 * the floor reads the same lists in a process of its own.
 */
async function benchCollections(options: BenchPhase): Promise<CollectionBench> {
  const { children, work } = options;
  const bench = options.options;
  const requestsLog = join(work, 'collection-requests.jsonl');
  const shape: CollectionShape = {
    services: bench.collectionServices,
    claims: bench.collectionClaims,
    certificates: bench.collectionCertificates,
    days: bench.collectionDays,
    hourly: bench.collectionHourly,
  };
  const { catalogFile, kubeconfig, emulator } = await serveGeneratedCluster({
    children,
    work,
    prefix: 'collection-',
    args: [
      '--teams',
      '1',
      '--services-per-team',
      String(shape.services),
      '--days',
      String(shape.days),
      '--claims-per-service',
      String(shape.claims),
      '--certificates-per-service',
      String(shape.certificates),
      ...(shape.hourly ? ['--hourly-runs', String(shape.hourly)] : []),
    ],
    what: `the collection cluster: ${shape.services} services, ${
      shape.services * shape.claims
    } claims, ${shape.services * shape.certificates} certificates, ${
      shape.services * (shape.days + shape.hourly)
    } backups`,
    port: bench.emulatorPort,
    requestsLog,
  });
  const listsFile = join(work, 'collection-lists.json');
  const results: CollectionResult[] = [];
  try {
    for (const database of bench.databases) {
      const result: CollectionResult = {
        database,
        first: [],
        again: [],
        floor: [],
        collected: [],
      };
      for (let run = 1; run <= bench.runs; run++) {
        const running = await startBenchBackend({
          ...options,
          bench,
          database,
          label: `collection-${database}-${run}`,
          catalogFile,
          kubeconfig,
          services: shape.services,
          teams: 1,
          cpuProfName: `collection-${database}-${run}.cpuprofile`,
          // Its requests are the collection's alone.
          watch: false,
        });
        try {
          for (const which of ['first', 'again'] as const) {
            const pid = running.backend.pid;
            let rssBefore = 0;
            let from = 0;
            let peak = 0;
            let requests: LoggedRequest[] = [];
            const { collection, scoring } = await collectAndScore(running, {
              beforeStart: () => {
                rssBefore = memoryOf(pid)!.currentBytes;
                writeFileSync(`/proc/${pid}/clear_refs`, '5');
                from = parseRequestsLog(
                  readFileSync(requestsLog, 'utf8'),
                ).length;
              },
              // Before the scoring it triggers has run for long: the collection's own.
              collected: () => {
                peak = memoryOf(pid)!.peakBytes;
                requests = requestsSince(requestsLog, from);
              },
            });
            const measured: CollectionRun = {
              collection,
              scoring,
              rssBeforeBytes: rssBefore,
              peakRssBytes: peak,
              requests: countRequests(requests),
            };
            result[which].push(measured);
            log(
              `collection on ${database}, run ${run}/${
                bench.runs
              }, ${which}: ${(
                (collection.endedAt - collection.startedAt) /
                1000
              ).toFixed(1)} s, then scored in ${(
                (scoring.endedAt - scoring.startedAt) /
                1000
              ).toFixed(1)} s; ${measured.requests.total} requests`,
            );
            if (which === 'first') {
              writeFileSync(listsFile, JSON.stringify(listsOf(requests)));
              if (run === 1) {
                result.collected = itemsBySource(
                  await collectionStatus(running),
                );
              }
            }
          }
        } finally {
          await running.stop();
        }
        const floor = await runFloor({
          children,
          work,
          kubeconfig,
          listsFile,
          run,
          database,
        });
        result.floor.push(floor);
        log(
          `floor, run ${run}/${bench.runs}: ${(floor.elapsedMs / 1000).toFixed(
            1,
          )} s, ${floor.pages} pages`,
        );
      }
      results.push(result);
    }
    // Then, after every database's collections (it adds objects to the cluster): how soon a
    // backup's turn reaches the score at this scale, on a backend with its watches on.
    for (const result of results) {
      const running = await startBenchBackend({
        ...options,
        bench,
        database: result.database,
        label: `collection-freshness-${result.database}`,
        catalogFile,
        kubeconfig,
        services: shape.services,
        teams: 1,
      });
      try {
        await collectAndScore(running);
        try {
          result.freshness = await measureFreshness({
            kube: readKubeconfig(kubeconfig),
            get: path => getOk(`${running.baseUrl}${path}`, running.token),
            entityPath: '/api/resilience/entities/component/default/svc-0-0',
            runs: bench.runs,
            atRest: () => atRest(running.backend),
            backendLog: logOf(running.backend),
            log: message =>
              log(`collection cluster on ${result.database}: ${message}`),
          });
        } catch (error) {
          // A miss of its own, reported as such: the other measurements stand.
          result.freshnessFailure = (error as Error).message;
          log(
            `collection cluster on ${result.database}: freshness not measured: ${result.freshnessFailure}`,
          );
        }
      } finally {
        await running.stop();
      }
    }
  } finally {
    await children.stop(emulator);
  }
  return { shape, results };
}

/**
 * Uploads a SARIF log from a file, as CI does (`POST /sast/reports`, the body streamed); what it
 * took, from the first byte sent to the last byte of the answer, and the answer.
 */
function uploadSarif(options: {
  baseUrl: string;
  token: string;
  file: string;
  query: Record<string, string>;
}): Promise<{ elapsedMs: number; body: SarifUploadResponse }> {
  const url = new URL(`${options.baseUrl}/api/resilience/sast/reports`);
  for (const [key, value] of Object.entries(options.query)) {
    url.searchParams.set(key, value);
  }
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const req = httpRequest(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${options.token}`,
          'content-type': 'application/sarif+json',
          'content-length': statSync(options.file).size,
        },
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk as Buffer));
        res.on('error', fail);
        res.on('end', () => {
          const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          if ((res.statusCode ?? 0) >= 300) {
            fail(new Error(`the upload answered ${res.statusCode}: ${text}`));
            return;
          }
          done({ elapsedMs, body: JSON.parse(text) as SarifUploadResponse });
        });
      },
    );
    req.on('error', fail);
    createReadStream(options.file).on('error', fail).pipe(req);
  });
}

const BACKSTAGE_CLI = join(
  root,
  'node_modules/@backstage/cli/bin/backstage-cli',
);
const FRONTEND_PLUGIN = join(root, 'plugins/resilience');

/**
 * The Resilience tab of one large entity in Chromium, on the first database: a cluster of one
 * service with `--tab-claims` claims, `--tab-certificates` certificates and `--tab-hourly`
 * hourly backups (a tier that keeps 90 days, so that they are in the window), collected and
 * scored, with `--tab-findings` open findings uploaded; the frontend plugin's dev app served by
 * `backstage-cli package start` against that backend. Each run opens the tab in a new browser
 * context, once signed in. Also the frontend plugin's production build (`backstage-cli package
 * build`): its JavaScript, raw and gzipped.
 */
async function benchTab(options: BenchPhase): Promise<TabBench> {
  const { children, work, cleanups } = options;
  const bench = options.options;
  const shape = {
    claims: bench.tabClaims,
    hourly: bench.tabHourly,
    certificates: bench.tabCertificates,
    findings: bench.tabFindings,
  };
  log('tab: building the frontend plugin');
  await children.run({
    name: "the frontend plugin's build",
    command: process.execPath,
    args: [BACKSTAGE_CLI, 'package', 'build'],
    cwd: FRONTEND_PLUGIN,
    logFile: join(work, 'tab-build.log'),
  });
  const bundle = bundleSize(join(FRONTEND_PLUGIN, 'dist'));

  const { catalogFile, kubeconfig, emulator } = await serveGeneratedCluster({
    children,
    work,
    prefix: 'tab-',
    args: [
      '--teams',
      '1',
      '--services-per-team',
      '1',
      '--days',
      '3',
      '--claims-per-service',
      String(shape.claims),
      '--certificates-per-service',
      String(shape.certificates),
      '--hourly-runs',
      String(shape.hourly),
    ],
    what: `one service with ${shape.claims} claims, ${shape.certificates} certificates and ${shape.hourly} hourly backups`,
    port: bench.emulatorPort,
  });
  const database = bench.databases[0];
  const frontendUrl = `http://localhost:${bench.frontendPort}`;
  const sarifFile = join(work, 'tab.sarif.json');
  writeFileSync(
    sarifFile,
    largeSarif({ results: shape.findings, bytes: shape.findings * 500 }),
  );
  const running = await startBenchBackend({
    ...options,
    bench,
    database,
    label: `tab-${database}`,
    catalogFile,
    kubeconfig,
    services: 1,
    teams: 1,
    maxReportSize: 2 * statSync(sarifFile).size + 1_000_000,
    frontendUrl,
    retentionDays: 90,
  });
  let browser: Browser | undefined;
  try {
    await collectAndScore(running);
    const { body } = await uploadSarif({
      baseUrl: running.baseUrl,
      token: running.token,
      file: sarifFile,
      query: {
        entityRef: 'component:default/svc-0-0',
        branch: 'main',
        commit: randomBytes(20).toString('hex'),
        scannedAt: new Date(Date.now() - 60_000).toISOString(),
      },
    });
    const opened = body.reports[0].opened;
    const view = await getOk<{
      pvcs: unknown[];
      backups: unknown[];
      certificates: unknown[];
    }>(
      `${running.baseUrl}/api/resilience/entities/component/default/svc-0-0`,
      running.token,
    );
    const entity = {
      claims: view.pvcs.length,
      backups: view.backups.length,
      certificates: view.certificates.length,
      findings: opened,
    };
    log(`tab: the entity has ${JSON.stringify(entity)}`);

    const frontendConfig = join(work, 'app-config.tab-frontend.yaml');
    writeFileSync(
      frontendConfig,
      yaml.dump({
        app: { baseUrl: frontendUrl },
        backend: { baseUrl: running.baseUrl },
      }),
    );
    log(`tab: starting the frontend dev server on ${frontendUrl}`);
    const frontend = children.start({
      name: 'the frontend dev server',
      command: process.execPath,
      args: [
        BACKSTAGE_CLI,
        'package',
        'start',
        '--config',
        join(root, 'app-config.yaml'),
        '--config',
        frontendConfig,
      ],
      cwd: FRONTEND_PLUGIN,
      env: { BROWSER: 'none' },
      logFile: join(work, 'tab-frontend.log'),
    });
    cleanups.add(() => children.stop(frontend));
    await waitUntil({
      what: 'the frontend dev server',
      timeoutMs: 900_000,
      child: frontend,
      probe: async () => ((await fetch(frontendUrl)).ok ? true : undefined),
    });
    browser = await launchChromium();
    const url = `${frontendUrl}/catalog/default/component/svc-0-0/resilience`;
    // The dev server compiles on the first request: that load is not measured.
    await measureTab({ browser, url, timeoutMs: 600_000 });
    const runs: TabRun[] = [];
    for (let run = 1; run <= bench.runs; run++) {
      const measured = await measureTab({
        browser,
        url,
        // Kept with the logs (--keep): what was measured, to look at.
        screenshot: run === bench.runs ? join(work, 'tab.png') : undefined,
        cpuProfile:
          bench.cpuProf && run === 1
            ? join(resolve(bench.cpuProf), 'tab.cpuprofile')
            : undefined,
      });
      runs.push(measured);
      log(
        `tab run ${run}/${bench.runs}: content in ${measured.contentMs} ms, ${
          measured.longTasks
        } long tasks (${Math.round(
          measured.blockingMs,
        )} ms blocking), next page in ${measured.nextPageMs} ms`,
      );
    }
    await children.stop(frontend);
    return { shape, database, entity, bundle, runs };
  } finally {
    await browser?.close();
    await running.stop();
    await children.stop(emulator);
  }
}

/**
 * The upload of a large SARIF log, on each database: per run, to an entity with no reports yet,
 * the log's first upload, the same log again (a later scan, nothing changed) and the log of a
 * scan with 10 % of its results changed; each timed, with the backend's peak resident set
 * during it, and checked against the findings it must have opened and fixed. Then the floor
 * parses the same bytes in a process of its own.
 */
async function benchSarif(
  options: BenchPhase & {
    catalogFile: string;
    kubeconfig: string;
    services: number;
    teams: number;
    servicesPerTeam: number;
  },
): Promise<SarifBench> {
  const { children, work } = options;
  const bench = options.options;
  if (options.services < bench.runs) {
    throw new OptionError(
      `the SARIF bench uploads to a service of its own per run: give at least --runs services (--teams × --services-per-team)`,
    );
  }
  const shape = {
    results: bench.sarifResults,
    bytes: bench.sarifMegabytes * 1_000_000,
    changedEvery: SARIF_CHANGED_EVERY,
  };
  const files = {
    first: join(work, 'bench.sarif.json'),
    changed: join(work, 'bench-changed.sarif.json'),
  };
  writeFileSync(
    files.first,
    largeSarif({ results: shape.results, bytes: shape.bytes }),
  );
  writeFileSync(files.changed, largeSarif(shape));
  const bytes = statSync(files.first).size;
  log(
    `SARIF: a log of ${shape.results} results, ${(bytes / 1e6).toFixed(1)} MB`,
  );
  const results: SarifResult[] = [];
  for (const database of bench.databases) {
    const result: SarifResult = {
      database,
      first: [],
      again: [],
      changed: [],
      floor: [],
    };
    const running = await startBenchBackend({
      ...options,
      bench,
      database,
      label: `sarif-${database}`,
      catalogFile: options.catalogFile,
      kubeconfig: options.kubeconfig,
      services: options.services,
      teams: options.teams,
      cpuProfName: `sarif-${database}.cpuprofile`,
      maxReportSize: 2 * bytes,
    });
    try {
      // Collected and scored first: an upload then recomputes a score, as in a portal.
      await collectAndScore(running);
      const pid = running.backend.pid;
      for (let run = 1; run <= bench.runs; run++) {
        const index = run - 1;
        const name = `svc-${Math.floor(index / options.servicesPerTeam)}-${
          index % options.servicesPerTeam
        }`;
        const steps = [
          ['first', files.first],
          ['again', files.first],
          ['changed', files.changed],
        ] as const;
        for (const [step, [which, file]] of steps.entries()) {
          const rssBefore = memoryOf(pid)!.currentBytes;
          writeFileSync(`/proc/${pid}/clear_refs`, '5');
          const { elapsedMs, body } = await uploadSarif({
            baseUrl: running.baseUrl,
            token: running.token,
            file,
            query: {
              entityRef: `component:default/${name}`,
              branch: 'main',
              commit: randomBytes(20).toString('hex'),
              // Scans a minute apart, each newer than the one before, none in the future.
              scannedAt: new Date(
                Date.now() - (steps.length - step) * 60_000,
              ).toISOString(),
            },
          });
          const peak = memoryOf(pid)!.peakBytes;
          const [report] = body.reports;
          const measured: SarifUploadRun = {
            elapsedMs,
            rssBeforeBytes: rssBefore,
            peakRssBytes: peak,
            opened: report.opened,
            fixed: report.fixed,
          };
          result[which].push(measured);
          log(
            `SARIF on ${database}, run ${run}/${bench.runs}, ${which}: ${(
              elapsedMs / 1000
            ).toFixed(1)} s, ${report.opened} opened, ${report.fixed} fixed`,
          );
        }
      }
    } finally {
      await running.stop();
    }
    for (let run = 1; run <= bench.runs; run++) {
      const out = join(work, `sarif-floor-${database}-${run}.json`);
      await children.run({
        name: 'the SARIF floor',
        command: process.execPath,
        args: [...NODE_ARGS, 'src/bench/sarifFloor.ts', '--file', files.first],
        cwd: testDir,
        logFile: out,
      });
      result.floor.push(lastResult<SarifFloorResult>(out, 'the SARIF floor'));
    }
    results.push(result);
  }
  return { shape: { ...shape, bytes }, results };
}

/** Days of daily backups of the scorecard bench's services: scores need data, not history. */
const SCORECARD_DAYS = 3;

/**
 * The team and organisation scorecards at scale: a catalog of `scorecardTeams` teams, the first
 * owning `scorecardTeamServices` services and each other `scorecardServicesPerTeam`, over a
 * cluster of those services (3 days of backups), loaded on each database as the routes above.
 */
async function benchScorecards(options: BenchPhase): Promise<ScorecardBench> {
  const { children, work, cleanups } = options;
  const bench = options.options;
  const shape = {
    teams: bench.scorecardTeams,
    teamServices: bench.scorecardTeamServices,
    servicesPerTeam: bench.scorecardServicesPerTeam,
    days: SCORECARD_DAYS,
  };
  const services =
    shape.teamServices + (shape.teams - 1) * shape.servicesPerTeam;
  const { catalogFile, kubeconfig, emulator } = await serveGeneratedCluster({
    children,
    work,
    prefix: 'scorecard-',
    args: [
      '--teams',
      String(shape.teams),
      '--services-per-team',
      String(shape.servicesPerTeam),
      '--first-team-services',
      String(shape.teamServices),
      '--days',
      String(shape.days),
    ],
    what: `the scorecard catalog: ${shape.teams} teams, ${services} services, ${shape.teamServices} of them of team-0`,
    port: bench.emulatorPort,
  });
  const routes = scorecardRoutes({
    entity: 'svc-0-0',
    team: 'team-0',
    teamServices: shape.teamServices,
    teams: shape.teams,
  });
  const results: DatabaseResult[] = [];
  try {
    for (const database of bench.databases) {
      results.push(
        await benchDatabase({
          database,
          bench,
          children,
          cleanups,
          work,
          catalogFile,
          kubeconfig,
          routes,
          services,
          teams: shape.teams,
          label: `scorecards-${database}`,
        }),
      );
    }
  } finally {
    await children.stop(emulator);
  }
  return { shape: { ...shape, services }, routes, results };
}

/**
 * Before the comparison's load: the measured entity must be held to the thresholds of the Tech
 * Insights checks and have a value for each; then Tech Insights' fact retriever reads every
 * Component's values from the plugin (triggered, timed), and its checks must give, for the
 * measured entity, the verdicts the plugin gave.
 */
async function retrieveTechInsightsFacts(
  running: BenchBackend,
  entity: string,
  entities: number,
): Promise<ComparisonFacts> {
  const { baseUrl, token, backend } = running;
  const score = await getOk<{
    pillars: Array<{
      checks: Array<{
        id: string;
        state: string;
        value?: number;
        threshold?: number;
        bound?: string;
      }>;
    }>;
  }>(
    `${baseUrl}/api/resilience/entities/component/default/${entity}/score`,
    token,
  );
  const checks = score.pillars.flatMap(p => p.checks);
  const expected = new Map<string, boolean>();
  for (const equivalent of EQUIVALENT_CHECKS) {
    const check = checks.find(c => c.id === equivalent.checkId);
    if (
      check?.value === undefined ||
      check.threshold !== equivalent.threshold ||
      check.bound !== equivalent.bound
    ) {
      throw new Error(
        `the Tech Insights check of ${equivalent.checkId} (${
          equivalent.bound
        } ${
          equivalent.threshold
        }) is not the plugin's for ${entity}: ${JSON.stringify(check)}`,
      );
    }
    expected.set(
      techInsightsCheckId(equivalent.checkId),
      check.state === 'pass',
    );
  }

  const before = await taskStates(baseUrl, token, 'tech-insights');
  if (!before.has(RESILIENCE_FACTS)) {
    throw new Error(
      `Tech Insights has no task ${RESILIENCE_FACTS}: ${[...before.keys()].join(
        ', ',
      )}`,
    );
  }
  const retrieval = TaskRunTracker.after(before.get(RESILIENCE_FACTS));
  // Its log from here: the retriever also ran at start-up, when the catalog was still empty.
  const backendLog = logOf(backend);
  const mark = backendLog.mark();
  const trigger = await fetch(
    `${baseUrl}/api/tech-insights/.backstage/scheduler/v1/tasks/${RESILIENCE_FACTS}/trigger`,
    { method: 'POST', headers: { authorization: `Bearer ${token}` } },
  );
  if (!trigger.ok) {
    throw new Error(
      `triggering the fact retriever answered ${
        trigger.status
      }: ${await trigger.text()}`,
    );
  }
  await waitUntil({
    what: 'end of the Tech Insights fact retrieval',
    timeoutMs: 3_600_000,
    child: backend,
    intervalMs: POLL_MS,
    probe: async () => {
      retrieval.observe(
        (await taskStates(baseUrl, token, 'tech-insights')).get(
          RESILIENCE_FACTS,
        ),
        Date.now(),
      );
      return retrieval.finished;
    },
  });
  // The retriever's task logs, rather than throws, what failed: its log says what it stored.
  const stored =
    /Stored (\d+) facts for fact retriever resilienceBenchFacts/.exec(
      backendLog.since(mark),
    );
  if (Number(stored?.[1]) !== entities) {
    throw new Error(
      `Tech Insights stored ${
        stored?.[1] ?? 'no'
      } facts, not one per Component (${entities}); see ${backend.logFile}`,
    );
  }
  const results = await get(
    `${baseUrl}/api/tech-insights/checks/run/default/component/${entity}`,
    token,
    { checks: [...expected.keys()] },
  );
  const verdicts = new Map(
    (results.body as Array<{ check: { id: string }; result: boolean }>).map(
      r => [r.check.id, r.result],
    ),
  );
  const disagree = [...expected].filter(
    ([id, pass]) => verdicts.get(id) !== pass,
  );
  if (results.status !== 200 || disagree.length > 0) {
    throw new Error(
      `Tech Insights' checks do not give the plugin's verdicts for ${entity}: ${JSON.stringify(
        results.body,
      ).slice(0, 1000)}`,
    );
  }
  return {
    retrieval: retrieval.finished!,
    facts: entities,
    verdicts: Object.fromEntries(expected),
  };
}

/**
 * The entity routes side by side with Tech Insights and the Kubernetes plugin, over a catalog of
 * `compareEntities` Components: the cluster's services (as above) and as many more that run on
 * no collected cluster. On PostgreSQL (else the first database), one backend with all three.
 */
async function benchComparison(options: BenchPhase): Promise<ComparisonBench> {
  const { children, work, cleanups } = options;
  const bench = options.options;
  const services = bench.teams * bench.servicesPerTeam;
  const shape = {
    entities: bench.compareEntities,
    services,
    catalogOnly: bench.compareEntities - services,
    days: bench.days,
  };
  const { catalogFile, kubeconfig, emulator } = await serveGeneratedCluster({
    children,
    work,
    prefix: 'comparison-',
    args: [
      '--teams',
      String(bench.teams),
      '--services-per-team',
      String(bench.servicesPerTeam),
      '--days',
      String(bench.days),
      ...(shape.catalogOnly > 0
        ? ['--catalog-only-services', String(shape.catalogOnly)]
        : []),
    ],
    what: `the comparison catalog: ${shape.entities} Components, ${services} of them on the cluster`,
    port: bench.emulatorPort,
  });
  const database: DatabaseId = bench.databases.includes('postgres')
    ? 'postgres'
    : bench.databases[0];
  const entity = 'svc-0-0';
  const routes = comparisonRoutes({
    entity,
    checks: EQUIVALENT_CHECKS.map(c => techInsightsCheckId(c.checkId)),
  });
  let facts: ComparisonFacts | undefined;
  try {
    const result = await benchDatabase({
      database,
      bench,
      children,
      cleanups,
      work,
      catalogFile,
      kubeconfig,
      routes,
      services: shape.entities,
      teams: bench.teams,
      label: `comparison-${database}`,
      script: 'src/bench/comparisonBackend.ts',
      comparison: true,
      beforeLoad: async running => {
        facts = await retrieveTechInsightsFacts(
          running,
          entity,
          shape.entities,
        );
      },
    });
    return { shape, routes, result, facts: facts! };
  } finally {
    await children.stop(emulator);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const options = parseOptions(args, process.env);
  for (const port of [
    options.backendPort,
    options.emulatorPort,
    options.frontendPort,
  ]) {
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
    const { catalogFile, kubeconfig, emulator } = await serveGeneratedCluster({
      children,
      work,
      prefix: '',
      args: [
        '--teams',
        String(options.teams),
        '--services-per-team',
        String(options.servicesPerTeam),
        '--days',
        String(options.days),
      ],
      what: `${options.teams * options.servicesPerTeam} services (${
        options.teams
      } teams × ${options.servicesPerTeam}, ${options.days} days of backups)`,
      port: options.emulatorPort,
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
          services: options.teams * options.servicesPerTeam,
          teams: options.teams,
          label: database,
          freshnessEntity: entity,
        }),
      );
    }
    const sarif = options.sarifResults
      ? await benchSarif({
          options,
          children,
          cleanups,
          work,
          catalogFile,
          kubeconfig,
          services: options.teams * options.servicesPerTeam,
          teams: options.teams,
          servicesPerTeam: options.servicesPerTeam,
        })
      : undefined;
    await children.stop(emulator);

    const scorecards = options.scorecardTeams
      ? await benchScorecards({ options, children, cleanups, work })
      : undefined;

    const comparison = options.compareEntities
      ? await benchComparison({ options, children, cleanups, work })
      : undefined;

    const collection = options.collectionServices
      ? await benchCollections({ options, children, cleanups, work })
      : undefined;

    const tab = options.tabClaims
      ? await benchTab({ options, children, cleanups, work })
      : undefined;

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
      collection,
      scorecards,
      comparison,
      sarif,
      tab,
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
    const wrong = sarif ? wrongSarifUploads(sarif) : [];
    if (wrong.length > 0) {
      console.error(
        `[bench] some SARIF uploads were wrong: ${wrong.join('; ')}`,
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
