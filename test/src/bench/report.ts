import { Machine } from './machine';
import { BenchOptions, DatabaseId, rerunCommand } from './options';
import { Route } from './routes';
import { ratio, RunResult, summarise } from './stats';
import { TaskRun } from './tasks';

/** What the bench measured on one database. */
export interface DatabaseResult {
  database: DatabaseId;
  /** From the backend's start until its health route answered. */
  startupMs: number;
  /** From then until the catalog had every entity with its owner. */
  catalogMs: number;
  collection: TaskRun;
  scoring: TaskRun;
  /** What the first collection stored, per source (`itemCount` of the collection status). */
  collected: Array<{ source: string; items: number }>;
  /** The backend's resident set, in bytes: peak and current, once scored and at the end. */
  memoryAfterScoring: { peakBytes: number; currentBytes: number };
  memoryAtEnd: { peakBytes: number; currentBytes: number };
  /** Size of each route's body, in bytes. */
  responseBytes: Partial<Record<Route['id'], number>>;
  runs: Partial<Record<Route['id'], RunResult[]>>;
}

export interface BenchReport {
  options: BenchOptions;
  machine: Machine;
  /** The commit measured, and whether the work tree had uncommitted changes. */
  code?: { commit: string; changed: boolean };
  startedAt: Date;
  elapsedMs: number;
  entity: string;
  team: string;
  routes: Route[];
  results: DatabaseResult[];
}

const DATABASE_NAMES: Record<DatabaseId, string> = {
  sqlite: 'SQLite',
  postgres: 'PostgreSQL',
};

function describeDatabase(id: DatabaseId, machine: Machine): string {
  return id === 'sqlite'
    ? 'SQLite (`better-sqlite3`, in memory)'
    : `PostgreSQL ${machine.postgres ?? ''}`.trim();
}

/** A count or rate, rounded to what its size can say. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  // autocannon's latencies are whole milliseconds: no decimals they do not have.
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

export function formatRatio(value: number | undefined): string {
  return value === undefined ? '–' : `${value.toPrecision(2)}×`;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const mebibytes = (bytes: number) => `${Math.round(bytes / 1048576)} MiB`;

function row(cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: string[], rows: string[][]): string {
  return [
    row(header),
    row(header.map(() => '---')),
    ...rows.map(r => row(r)),
  ].join('\n');
}

function runsOf(result: DatabaseResult, id: Route['id']): RunResult[] {
  return result.runs[id] ?? [];
}

/** Every route's responses that were not 2xx or never came, over every database and run. */
export function failures(report: BenchReport): Array<{
  database: DatabaseId;
  route: Route['id'];
  non2xx: number;
  errors: number;
}> {
  return report.results.flatMap(result =>
    report.routes.flatMap(route => {
      const runs = runsOf(result, route.id);
      if (runs.length === 0) return [];
      const { non2xx, errors } = summarise(runs);
      return non2xx + errors > 0
        ? [{ database: result.database, route: route.id, non2xx, errors }]
        : [];
    }),
  );
}

function measurementTable(
  report: BenchReport,
  route: Route,
  baseline: Route,
): string {
  const rows = report.results.flatMap(result => {
    const runs = runsOf(result, route.id);
    if (runs.length === 0) return [];
    const median = summarise(runs);
    const base = summarise(runsOf(result, baseline.id));
    const isBaseline = route.id === baseline.id;
    const versus = (value: number, of: number) =>
      isBaseline ? '1 (baseline)' : formatRatio(ratio(value, of));
    return [
      [
        DATABASE_NAMES[result.database],
        formatNumber(median.requestsPerSecond),
        formatNumber(median.p50),
        formatNumber(median.p99),
        versus(median.requestsPerSecond, base.requestsPerSecond),
        versus(median.p50, base.p50),
        versus(median.p99, base.p99),
        `${median.ok.toLocaleString('en-US')} / ${median.non2xx} / ${
          median.errors
        }`,
        runs
          .map(
            (r, i) =>
              `${i + 1}: ${formatNumber(r.requestsPerSecond)} · ${formatNumber(
                r.p50,
              )} · ${formatNumber(r.p99)}`,
          )
          .join('<br>'),
        `${formatNumber((result.responseBytes[route.id] ?? 0) / 1024)} KiB`,
      ],
    ];
  });
  return [
    `### ${route.title}: \`GET ${route.path}\``,
    '',
    `${route.description[0].toUpperCase()}${route.description.slice(1)}.`,
    '',
    table(
      [
        'database',
        'requests/s',
        'p50 ms',
        'p99 ms',
        'requests/s vs catalog',
        'p50 vs catalog',
        'p99 vs catalog',
        '2xx / non-2xx / errors',
        'runs: requests/s · p50 · p99',
        'body',
      ],
      rows,
    ),
  ].join('\n');
}

function collectionTable(report: BenchReport): string {
  const run = (r: TaskRun) =>
    `${seconds(r.endedAt - r.startedAt)}${r.startSeen ? '' : ' (at most)'}`;
  return table(
    [
      'database',
      'backend start',
      'catalog ingestion',
      'first collection',
      'first scoring',
      'peak RSS once scored',
      'peak RSS at the end',
      'RSS at the end',
    ],
    report.results.map(r => [
      DATABASE_NAMES[r.database],
      seconds(r.startupMs),
      seconds(r.catalogMs),
      run(r.collection),
      run(r.scoring),
      mebibytes(r.memoryAfterScoring.peakBytes),
      mebibytes(r.memoryAtEnd.peakBytes),
      mebibytes(r.memoryAtEnd.currentBytes),
    ]),
  );
}

/** BENCHMARKS.md: how to rerun, the machine, the scale and a table per measurement. */
export function renderReport(report: BenchReport): string {
  const { options, machine } = report;
  const services = options.teams * options.servicesPerTeam;
  const baseline = report.routes[0];
  const collected = report.results[0]?.collected ?? [];
  const failed = failures(report);
  const databases = report.results.map(r =>
    describeDatabase(r.database, machine),
  );
  const lines = [
    '# Benchmarks',
    '',
    '<!-- Written by `yarn bench` (test/src/bench/); rerun it rather than editing this file. -->',
    '',
    `Measured by one run of \`yarn bench\` that started ${report.startedAt.toISOString()} and took ${Math.round(
      report.elapsedMs / 60000,
    )} minutes${
      report.code
        ? `, on the code of commit \`${report.code.commit}\`${
            report.code.changed ? ' with uncommitted changes' : ''
          }`
        : ''
    }. **Every figure is the median of ${
      options.runs
    } runs measured in that one run**, each run ${
      options.duration
    } s of load with ${
      options.connections
    } concurrent connections (autocannon, in a process of its own), after ${
      options.warmup
    } s of unmeasured load per route. The runs of the routes alternate (all routes once, then again), so that a slow spell of the machine falls on all of them alike, and after each run the bench waits until the backend has answered what that run left in flight. No request times out within a run; one still unanswered when its run ends is not counted. Figures from another machine, or another run, are not comparable with these.`,
    '',
    ...(failed.length > 0
      ? [
          `> **Not valid:** some responses were not 2xx or never came (${failed
            .map(
              f =>
                `${DATABASE_NAMES[f.database]} ${f.route}: ${
                  f.non2xx
                } non-2xx, ${f.errors} errors`,
            )
            .join(
              '; ',
            )}). The figures below measure those failures, not the routes.`,
          '',
        ]
      : []),
    '## Rerun',
    '',
    'From the repository root, with PostgreSQL reachable (`--postgres URL`, or `BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING`; `--databases sqlite` without it):',
    '',
    '```sh',
    'yarn install',
    rerunCommand(options),
    '```',
    '',
    "The bench generates a synthetic cluster and its catalog with `yarn generate`, serves the cluster with the Kubernetes API emulator, and starts a Backstage backend (`createBackend` with the catalog reading the generated catalog file, guest sign-in and the Resilience plugin) on each database in turn: on PostgreSQL with databases made for the run (one per plugin, as Backstage makes them) and dropped after. It waits until the catalog holds every entity with its owner, starts the first collection (`POST /api/resilience/collection/bench/run`), times it and the scoring it triggers, checks that every route answers 200 with the entity's data, then loads each route. `yarn bench --help` lists the options (scale, duration, runs, ports). Requests carry a static external access token (`backend.auth.externalAccess`), which every measured route accepts.",
    '',
    '## Machine',
    '',
    table(
      ['', ''],
      [
        ['CPU', machine.cpuModel],
        ['CPUs', String(machine.cpuCount)],
        ['memory', `${(machine.memoryBytes / 1073741824).toFixed(1)} GiB`],
        ['OS', machine.os],
        ['Node.js', machine.node],
        ['PostgreSQL', machine.postgres ?? 'not measured'],
      ],
    ),
    '',
    'The load generator, the backend, the emulator and PostgreSQL share these CPUs.',
    '',
    '## Scale',
    '',
    `\`--teams ${options.teams} --services-per-team ${options.servicesPerTeam} --days ${options.days}\`: ${services} services in ${options.teams} teams, each service a Component owned by its team's Group and mapped by \`backstage.io/kubernetes-id\` to a Deployment with two pods and one PVC in a namespace of its own, backed up daily for ${options.days} days by a schedule of its own, with one Certificate and Ingress. The first collection stored:`,
    '',
    collected.length > 0
      ? table(
          ['source', 'items'],
          collected.map(c => [c.source, c.items.toLocaleString('en-US')]),
        )
      : '(nothing)',
    '',
    `The measured entity is \`component:default/${report.entity}\`, of \`group:default/${report.team}\`; every service of the synthetic cluster has the same shape.`,
    '',
    '## First collection, scoring and memory',
    '',
    `Databases: ${databases.join(
      '; ',
    )}. The collection and the scoring are timed by polling the plugin's scheduler (\`/api/resilience/.backstage/scheduler/v1/tasks\`) every 100 ms, so each is within about 0.1 s; the collection includes writing every fact, the scoring computes and stores the score of every Component. RSS is the backend process's (\`VmHWM\` and \`VmRSS\` of \`/proc/<pid>/status\`), which runs the TypeScript sources through Backstage's node transform, as \`yarn start\` does.`,
    '',
    collectionTable(report),
    '',
    '## Requests',
    '',
    `Latencies in milliseconds. "vs catalog" is the route's median against the catalog baseline's median on the same backend in the same run: requests/s below 1× and latencies above 1× are slower than the catalog. Runs list requests/s · p50 · p99 of each run.`,
    '',
    ...report.routes.flatMap(route => [
      measurementTable(report, route, baseline),
      '',
    ]),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
