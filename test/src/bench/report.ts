import { Machine } from './machine';
import { BenchOptions, DatabaseId, rerunCommand } from './options';
import { Route } from './routes';
import { FloorResult } from './collection';
import { FreshnessRun } from './freshness';
import { TabRun } from './tab';
import { expectedChanges, SarifFloorResult, SarifUploadRun } from './sarif';
import { median, ratio, RunResult, summarise } from './stats';
import { TaskRun } from './tasks';
import { EQUIVALENT_CHECKS } from './techInsightsChecks';

const EQUIVALENT_CHECK_IDS = EQUIVALENT_CHECKS.map(c => c.checkId);

/** What the bench measured on one database. */
/** The freshness target of the issue that asked for it: a change scored within 10 s. */
export const FRESHNESS_TARGET_MS = 10_000;

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
  /** How soon a backup's changes reached the entity, run by run; absent when not measured. */
  freshness?: FreshnessRun[];
}

/** The shape of the cluster whose full collection is measured, per service. */
export interface CollectionShape {
  services: number;
  claims: number;
  certificates: number;
  days: number;
  hourly: number;
}

/** One timed collection of the large cluster. */
export interface CollectionRun {
  collection: TaskRun;
  scoring: TaskRun;
  /** The backend's resident set just before the collection started. */
  rssBeforeBytes: number;
  /** Its peak during the collection (`VmHWM`, reset as it started). */
  peakRssBytes: number;
  /** The requests the emulator answered during the collection. */
  requests: { total: number; listPages: number; failed: number };
}

/** The large cluster's collections on one database, run by run. */
export interface CollectionResult {
  database: DatabaseId;
  /** Into empty tables, one per run (each run a backend with databases of its own). */
  first: CollectionRun[];
  /** Of the same, unchanged objects, on the same backend just after. */
  again: CollectionRun[];
  floor: FloorResult[];
  /** What the first run's first collection stored, per source. */
  collected: Array<{ source: string; items: number }>;
  /** How soon a backup's turn reached the score, on a backend with watches, after the runs. */
  freshness?: FreshnessRun[];
  /** Why the freshness at this scale could not be measured (a change not scored in time, say). */
  freshnessFailure?: string;
}

export interface CollectionBench {
  shape: CollectionShape;
  results: CollectionResult[];
}

/** The team and organisation scorecards loaded over a large catalog. */
export interface ScorecardBench {
  shape: {
    teams: number;
    teamServices: number;
    servicesPerTeam: number;
    days: number;
    services: number;
  };
  routes: Route[];
  results: DatabaseResult[];
}

/** Tech Insights' facts of the comparison: their retrieval, and the verdicts they must give. */
export interface ComparisonFacts {
  /** The retriever's run: every Component's values read from the plugin and stored. */
  retrieval: TaskRun;
  /** Facts stored: one per Component. */
  facts: number;
  /** The measured entity's verdict per Tech Insights check: the plugin's `pass`, or not. */
  verdicts: Record<string, boolean>;
}

/** The entity routes side by side with Tech Insights and the Kubernetes plugin. */
export interface ComparisonBench {
  shape: {
    entities: number;
    services: number;
    catalogOnly: number;
    days: number;
  };
  routes: Route[];
  result: DatabaseResult;
  facts: ComparisonFacts;
}

/** The comparison's target: the plugin's entity routes at p99 under 25 ms... */
export const COMPARISON_P99_TARGET_MS = 25;
/** ...and at least 10 times the throughput of Tech Insights and of the Kubernetes plugin. */
export const COMPARISON_THROUGHPUT_TARGET = 10;

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
  /** The full collection of a large cluster against its floor; absent when left out. */
  collection?: CollectionBench;
  /** The scorecards over a large catalog; absent when left out. */
  scorecards?: ScorecardBench;
  /** The entity routes beside Tech Insights and the Kubernetes plugin; absent when left out. */
  comparison?: ComparisonBench;
  /** The upload of a large SARIF log against its floor; absent when left out. */
  sarif?: SarifBench;
  /** The Resilience tab of a large entity in Chromium; absent when left out. */
  tab?: TabBench;
}

/** The large SARIF log's uploads on one database, run by run. */
export interface SarifResult {
  database: DatabaseId;
  /** Its first upload, to an entity with no reports. */
  first: SarifUploadRun[];
  /** The same log again, as a later scan. */
  again: SarifUploadRun[];
  /** The log of a later scan with 10 % of its results changed. */
  changed: SarifUploadRun[];
  floor: SarifFloorResult[];
}

export interface SarifBench {
  shape: { results: number; bytes: number; changedEvery: number };
  results: SarifResult[];
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
/** To the hundredth: an upload of a small log takes well under a second. */
const seconds2 = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
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
  const benches = [
    { routes: report.routes, results: report.results },
    ...(report.scorecards ? [report.scorecards] : []),
    ...(report.comparison
      ? [
          {
            routes: report.comparison.routes,
            results: [report.comparison.result],
          },
        ]
      : []),
  ];
  return benches.flatMap(bench =>
    bench.results.flatMap(result =>
      bench.routes.flatMap(route => {
        const runs = runsOf(result, route.id);
        if (runs.length === 0) return [];
        const { non2xx, errors } = summarise(runs);
        return non2xx + errors > 0
          ? [{ database: result.database, route: route.id, non2xx, errors }]
          : [];
      }),
    ),
  );
}

function measurementTable(
  results: DatabaseResult[],
  route: Route,
  baseline: Route,
): string {
  const rows = results.flatMap(result => {
    const runs = runsOf(result, route.id);
    if (runs.length === 0) return [];
    const middle = summarise(runs);
    const base = summarise(runsOf(result, baseline.id));
    const isBaseline = route.id === baseline.id;
    const versus = (value: number, of: number) =>
      isBaseline ? '1 (baseline)' : formatRatio(ratio(value, of));
    return [
      [
        DATABASE_NAMES[result.database],
        formatNumber(middle.requestsPerSecond),
        formatNumber(middle.p50),
        formatNumber(middle.p99),
        versus(middle.requestsPerSecond, base.requestsPerSecond),
        versus(middle.p50, base.p50),
        versus(middle.p99, base.p99),
        `${middle.ok.toLocaleString('en-US')} / ${middle.non2xx} / ${
          middle.errors
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
    `### ${route.title}: \`${route.body === undefined ? 'GET' : 'POST'} ${
      route.path
    }\``,
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

/** A task's run time, "at most" when no poll saw it running. */
const taskTime = (r: TaskRun) =>
  `${seconds(r.endedAt - r.startedAt)}${r.startSeen ? '' : ' (at most)'}`;

function collectionTable(report: BenchReport): string {
  const run = taskTime;
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

/** What a collection stored, per source. */
function itemsTable(collected: Array<{ source: string; items: number }>) {
  return collected.length > 0
    ? table(
        ['source', 'items'],
        collected.map(c => [c.source, c.items.toLocaleString('en-US')]),
      )
    : '(nothing)';
}

const ms = (r: CollectionRun) => r.collection.endedAt - r.collection.startedAt;

/**
 * The section on the full collection of a large cluster: per database the medians of the first
 * and the repeated collection, against the floor's median measured in the same runs.
 */
export function collectionSection(bench: CollectionBench): string {
  const { shape } = bench;
  const freshAtScale = bench.results.filter(r => r.freshness?.length);
  const freshFailures = bench.results.flatMap(r =>
    r.freshnessFailure
      ? [`${DATABASE_NAMES[r.database]}: ${r.freshnessFailure}`]
      : [],
  );
  const collected = bench.results[0]?.collected ?? [];
  const runsText = (values: number[], format: (v: number) => string) =>
    values.map((v, i) => `${i + 1}: ${format(v)}`).join('<br>');
  const rows = bench.results.flatMap(result => {
    const floorMs = median(result.floor.map(f => f.elapsedMs));
    const floorGrowth = median(
      result.floor.map(f => f.peakRssBytes - f.rssBeforeBytes),
    );
    const floorPages = median(result.floor.map(f => f.pages));
    return (['first', 'again'] as const).map(which => {
      const runs = result[which];
      const time = median(runs.map(ms));
      const growth = median(runs.map(r => r.peakRssBytes - r.rssBeforeBytes));
      const requests = median(runs.map(r => r.requests.total));
      const failed = runs.reduce((n, r) => n + r.requests.failed, 0);
      return [
        DATABASE_NAMES[result.database],
        which === 'first' ? 'first, into empty tables' : 'again, unchanged',
        seconds(time),
        seconds(floorMs),
        formatRatio(ratio(time, floorMs)),
        mebibytes(growth),
        mebibytes(floorGrowth),
        `${formatNumber(requests)} (${failed} not 2xx)`,
        formatNumber(floorPages),
        runsText(runs.map(ms), seconds),
        runsText(
          runs.map(r => r.peakRssBytes - r.rssBeforeBytes),
          mebibytes,
        ),
      ];
    });
  });
  const floorRuns = bench.results.map(
    r =>
      `${DATABASE_NAMES[r.database]}: ${r.floor
        .map((f, i) => `${i + 1}: ${seconds(f.elapsedMs)}`)
        .join(', ')}`,
  );
  return [
    '## Full collection of a large cluster',
    '',
    `\`--collection-services ${shape.services} --collection-claims ${shape.claims} --collection-certificates ${shape.certificates} --collection-days ${shape.days} --collection-hourly ${shape.hourly}\`: ${shape.services} namespaces, each a service with a Deployment of two pods mounting its ${shape.claims} claims, ${shape.certificates} Certificates (one named by its Ingress), a daily schedule that snapshots the volumes (${shape.days} runs) and an hourly one that backs up the objects only (${shape.hourly} runs). The first collection stored:`,
    '',
    itemsTable(collected),
    '',
    `Each of the ${
      bench.results[0]?.first.length ?? 0
    } runs per database starts a backend with empty databases of its own and a catalog of the ${
      shape.services
    } services, times its first collection and then a second one of the same, unchanged objects (each polled as above, within about 0.1 s), and then runs the **floor**: a process of its own that reads the same lists the first collection read (the same paths, selectors and page size, paged with \`continue\`) with a plain HTTPS GET and \`JSON.parse\` each, one request at a time as the collector does, keeping a list's items until its last page. The collection also normalises every object, reads the certificates in the TLS Secrets and writes everything it stored. "Peak RSS growth" is the backend's peak resident set during the collection (\`VmHWM\`, reset through \`/proc/<pid>/clear_refs\` as it starts, read at the first poll that sees it ended) less its resident set just before; the floor's is its own peak less its resident set before its first request. The emulator serves the cluster once its cert-manager has issued every Certificate. Requests are those the emulator answered during the collection (its \`--requests-log\`), which include the few of other tasks of the plugin that ran meanwhile; the floor's pages are the list pages it read. Ratios are of the medians measured in the same runs.`,
    '',
    table(
      [
        'database',
        'collection',
        'time',
        'floor',
        'time vs floor',
        'peak RSS growth',
        'floor peak RSS growth',
        'requests',
        'floor pages',
        'runs: time',
        'runs: peak RSS growth',
      ],
      rows,
    ),
    '',
    `Floor runs: ${floorRuns.join('; ')}.`,
    ...(freshAtScale.length
      ? [
          '',
          '### Freshness at this scale',
          '',
          `After those runs, on each database a backend of its own with its watches on collects and scores the cluster, and then the freshness of \`svc-0-0\` is measured as in "Freshness" above, on a cluster of ${formatNumber(
            shape.services * (shape.days + shape.hourly),
          )} backups: each change to a Backup or a VolumeSnapshotContent is stored as that one object, whatever the size of its source. Target: scored within ${
            FRESHNESS_TARGET_MS / 1000
          } s.`,
          '',
          freshnessTable(freshAtScale),
        ]
      : []),
    ...(freshFailures.length
      ? [
          '',
          `**Freshness at this scale not measured (target missed):** ${freshFailures.join(
            '; ',
          )}.`,
        ]
      : []),
  ].join('\n');
}

const SARIF_UPLOADS = ['first', 'again', 'changed'] as const;

function sarifUploadNames(bench: SarifBench) {
  return {
    first: 'first upload',
    again: 'again, unchanged',
    changed: `again, ${Math.round(100 / bench.shape.changedEvery)} % changed`,
  };
}

const expectedOf = (bench: SarifBench, which: (typeof SARIF_UPLOADS)[number]) =>
  expectedChanges({
    which,
    results: bench.shape.results,
    changedEvery: bench.shape.changedEvery,
  });

/** The uploads whose answer did not open and fix the findings they must have: each described. */
export function wrongSarifUploads(bench: SarifBench): string[] {
  const names = sarifUploadNames(bench);
  return bench.results.flatMap(result =>
    SARIF_UPLOADS.flatMap(which => {
      const expected = expectedOf(bench, which);
      return result[which]
        .filter(r => r.opened !== expected.opened || r.fixed !== expected.fixed)
        .map(
          r =>
            `${DATABASE_NAMES[result.database]} ${names[which]}: ${
              r.opened
            } opened and ${r.fixed} fixed, not ${expected.opened} and ${
              expected.fixed
            }`,
        );
    }),
  );
}

/** The section on the upload of a large SARIF log against JSON.parse of the same bytes. */
export function sarifSection(bench: SarifBench): string {
  const { shape } = bench;
  const runsText = (values: number[], format: (v: number) => string) =>
    values.map((v, i) => `${i + 1}: ${format(v)}`).join('<br>');
  const growth = (r: { peakRssBytes: number; rssBeforeBytes: number }) =>
    r.peakRssBytes - r.rssBeforeBytes;
  const names = sarifUploadNames(bench);
  const wrong = wrongSarifUploads(bench);
  const rows = bench.results.flatMap(result => {
    const floorMs = median(result.floor.map(f => f.elapsedMs));
    const floorGrowth = median(result.floor.map(growth));
    return SARIF_UPLOADS.map(which => {
      const runs = result[which];
      const expected = expectedOf(bench, which);
      const time = median(runs.map(r => r.elapsedMs));
      return [
        DATABASE_NAMES[result.database],
        names[which],
        seconds2(time),
        seconds2(floorMs),
        formatRatio(ratio(time, floorMs)),
        mebibytes(median(runs.map(growth))),
        mebibytes(floorGrowth),
        `${formatNumber(expected.opened)} / ${formatNumber(expected.fixed)}`,
        runsText(
          runs.map(r => r.elapsedMs),
          seconds2,
        ),
        runsText(runs.map(growth), mebibytes),
      ];
    });
  });
  return [
    '## SARIF upload',
    '',
    `\`--sarif-results ${shape.results} --sarif-megabytes ${Math.round(
      shape.bytes / 1e6,
    )}\`: one SARIF 2.1.0 log of ${formatNumber(shape.results)} results (${(
      shape.bytes / 1e6
    ).toFixed(
      1,
    )} MB) of one scanner, each with a rule carrying GitHub's \`security-severity\`, one location and a \`primaryLocationLineHash\`. On each database a backend of its own (the catalog and cluster above, collected and scored first) takes, per run and for an entity without reports, its first upload, the same log again as a later scan, and then the log of a later scan with every ${
      shape.changedEvery
    }th result replaced by another (a finding fixed, one new). Each is one \`POST /api/resilience/sast/reports\` with the body streamed from a file, timed from its first byte to the last byte of the answer, which comes once the findings, their open periods and the entity's score are stored. Every upload is checked against the findings it must open and fix${
      wrong.length > 0 ? '' : ', and all were right'
    }. The **floor** reads and \`JSON.parse\`s the same bytes in a process of its own. Peak RSS growth is measured as for the collection below.`,
    '',
    ...(wrong.length > 0 ? [`> **Not valid:** ${wrong.join('; ')}.`, ''] : []),
    table(
      [
        'database',
        'upload',
        'time',
        'floor',
        'time vs floor',
        'peak RSS growth',
        'floor peak RSS growth',
        'opened / fixed',
        'runs: time',
        'runs: peak RSS growth',
      ],
      rows,
    ),
  ].join('\n');
}

/** The Resilience tab of one large entity in Chromium, and the frontend plugin's build. */
export interface TabBench {
  /** What the cluster was generated with, and the open findings uploaded. */
  shape: {
    claims: number;
    hourly: number;
    certificates: number;
    findings: number;
  };
  database: DatabaseId;
  /** What the entity's view held: claims, backups (capped), certificates; findings opened. */
  entity: {
    claims: number;
    backups: number;
    certificates: number;
    findings: number;
  };
  bundle: { files: number; bytes: number; gzipBytes: number };
  runs: TabRun[];
}

const kibibytes = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;

/** The section on the tab in Chromium and the size of the frontend plugin's build. */
export function tabSection(bench: TabBench): string {
  const { shape, entity, bundle, runs } = bench;
  const runsText = (values: number[], unit: (v: number) => string) =>
    values.map((v, i) => `${i + 1}: ${unit(v)}`).join('<br>');
  const msText = (v: number) => `${Math.round(v)} ms`;
  const figures: Array<[string, (r: TabRun) => number, (v: number) => string]> =
    [
      ['time to content', r => r.contentMs, msText],
      ['long tasks until then', r => r.longTasks, v => formatNumber(v)],
      [
        'blocking time until then (beyond 50 ms per task)',
        r => r.blockingMs,
        msText,
      ],
      ['longest task', r => r.longestTaskMs, msText],
      ['next page of the claims table', r => r.nextPageMs, msText],
    ];
  return [
    '## The Resilience tab in Chromium',
    '',
    `\`--tab-claims ${shape.claims} --tab-hourly ${
      shape.hourly
    } --tab-certificates ${shape.certificates} --tab-findings ${
      shape.findings
    }\`: one service whose Deployment mounts ${formatNumber(
      shape.claims,
    )} claims, with ${formatNumber(
      shape.certificates,
    )} Certificates, a daily schedule of 3 runs and an hourly one of ${formatNumber(
      shape.hourly,
    )} runs, its tier keeping backups 90 days so that they are all in the window, and a SARIF log of ${formatNumber(
      shape.findings,
    )} results uploaded for it. On ${
      DATABASE_NAMES[bench.database]
    }, after the first collection and scoring, its view held ${formatNumber(
      entity.claims,
    )} claims, ${formatNumber(
      entity.backups,
    )} backups (the timeline's cap), ${formatNumber(
      entity.certificates,
    )} certificates and ${formatNumber(
      entity.findings,
    )} open findings. The frontend plugin's dev app (\`backstage-cli package start\`, a development build) serves the tab; headless Chromium (Debian's, through playwright-core) opens it in a new context per run, signed in as a guest first, after one unmeasured load that lets the dev server compile. "Time to content" is from the navigation until the claims, certificates and findings tables all show their first rows; long tasks are the main thread's (\`PerformanceObserver\`, \`longtask\`) until then; "next page" is from a click on the claims table's next page until its first row is another claim. The tables page (the claims table shows ${formatNumber(
      runs[0]?.claimRows ?? 0,
    )} rows at a time; the findings come from the server a page at a time).`,
    '',
    table(
      ['figure', 'median', 'runs'],
      figures.map(([name, of, unit]) => [
        name,
        unit(median(runs.map(of))),
        runsText(runs.map(of), unit),
      ]),
    ),
    '',
    `The frontend plugin's production build (\`backstage-cli package build\`, \`plugins/resilience/dist\`, its dependencies left to the app): ${formatNumber(
      bundle.files,
    )} JavaScript files, ${kibibytes(bundle.bytes)}, ${kibibytes(
      bundle.gzipBytes,
    )} gzipped (each file at level 9).`,
  ].join('\n');
}

/**
 * The section on freshness: per database, the medians of how soon a backup created and then
 * completed in the cluster reached the entity's view and score.
 */
/** Per database, the medians of how soon a backup's create and turn reached the view and score. */
function freshnessTable(
  measured: Array<{ database: DatabaseId; freshness?: FreshnessRun[] }>,
): string {
  const runsText = (values: number[]) =>
    values.map((v, i) => `${i + 1}: ${seconds2(v)}`).join('<br>');
  const counted = measured.some(r => r.freshness!.some(run => run.evaluations));
  return table(
    [
      'database',
      'listed',
      'scored',
      'within target',
      ...(counted ? ['evaluated'] : []),
      'runs: listed',
      'runs: scored',
      ...(counted ? ['runs: evaluated · scorings'] : []),
    ],
    measured.map(r => {
      const runs = r.freshness!;
      const scored = median(runs.map(run => run.completedMs));
      const counts = runs.flatMap(run =>
        run.evaluations ? [run.evaluations] : [],
      );
      const ofScored = Math.max(0, ...counts.map(c => c.scored));
      return [
        DATABASE_NAMES[r.database],
        seconds2(median(runs.map(run => run.createdMs))),
        seconds2(scored),
        scored <= FRESHNESS_TARGET_MS ? 'yes' : 'no',
        ...(counted
          ? [
              counts.length
                ? `${formatNumber(
                    median(counts.map(c => c.evaluated)),
                  )} of ${formatNumber(ofScored)}`
                : '–',
            ]
          : []),
        runsText(runs.map(run => run.createdMs)),
        runsText(runs.map(run => run.completedMs)),
        ...(counted
          ? [
              runs
                .map(
                  (run, i) =>
                    `${i + 1}: ${
                      run.evaluations
                        ? `${formatNumber(run.evaluations.evaluated)} · ${
                            run.evaluations.scorings
                          }`
                        : '–'
                    }`,
                )
                .join('<br>'),
            ]
          : []),
      ];
    }),
  );
}

export function freshnessSection(results: DatabaseResult[]): string {
  const measured = results.filter(r => r.freshness && r.freshness.length > 0);
  if (measured.length === 0) return '';
  const counted = measured.some(r => r.freshness!.some(run => run.evaluations));
  return [
    '## Freshness',
    '',
    `After the load, on each backend above, per run: a copy of the Backup the measured entity's claims have their recovery point from (a claim's last good backup; same labels and spec) is created in the emulator \`InProgress\` with a \`startTimestamp\` of now, as Velero starts one; once the entity's view lists it, copies of that backup's VolumeSnapshotContents are made for it, ready, as Velero snapshots the volumes; and once they are collected (the view's collection status counts them) and the backend is at rest again (at most 20 ms of CPU in each of three half-seconds in a row), it turns \`Completed\` with a merge patch, as Velero ends one. "Listed" is from the create's answer until \`GET /api/resilience/entities/component/default/<entity>\` lists the backup; "scored" is from the patch's answer until the entity's score (\`.../score\`) measures the new recovery point (its \`backup.rpo\` value is younger than the backup, which no earlier backup can give); both are polled every 50 ms. Nothing is triggered by hand: the plugin's watches (\`resilience.collection.watch\`, on by default) see each change, the changed objects are stored and the entities whose results read them are scored again. Without watches it waits for the next scheduled collection, every 10 minutes by default. Target: scored within ${
      FRESHNESS_TARGET_MS / 1000
    } s.${
      counted
        ? ' "Evaluated" is how many entities the scorings those three changes set off evaluated again, out of the entities each scoring scored (the others were served from their stored results, their inputs unchanged), from the `Scored N entities (M evaluated …)` lines of the backend\'s log until it was at rest after the turn. A read of the measured entity evaluates it first when its inputs changed, and the bench polls it: a scoring then finds it current and counts it as unchanged.'
        : ''
    }`,
    '',
    freshnessTable(measured),
  ].join('\n');
}

/** The section on the scorecards over a large catalog: a table per route, as above. */
export function scorecardSection(bench: ScorecardBench): string {
  const { shape, routes, results } = bench;
  return [
    '## Scorecards at scale',
    '',
    `\`--scorecard-teams ${shape.teams} --scorecard-team-services ${
      shape.teamServices
    } --scorecard-services-per-team ${shape.servicesPerTeam}\`: a catalog of ${
      shape.teams
    } teams and ${shape.services.toLocaleString(
      'en-US',
    )} services, of which \`team-0\` owns ${shape.teamServices.toLocaleString(
      'en-US',
    )} and each other team ${
      shape.servicesPerTeam
    }, over a cluster of those services as above with ${
      shape.days
    } days of backups. On each database a backend of its own collects and scores them, then the routes are loaded as above, the catalog's read of \`svc-0-0\` the baseline.`,
    '',
    table(
      ['database', 'catalog ingestion', 'first collection', 'first scoring'],
      results.map(r => [
        DATABASE_NAMES[r.database],
        seconds(r.catalogMs),
        taskTime(r.collection),
        taskTime(r.scoring),
      ]),
    ),
    '',
    ...routes.flatMap(route => [
      measurementTable(results, route, routes[0]),
      '',
    ]),
  ]
    .join('\n')
    .trimEnd();
}

/** How the comparison's section names the routes the plugin is compared with. */
const TARGET_NAMES: Record<string, string> = {
  'tech-insights-checks': 'Tech Insights',
  'kubernetes-custom-resources': 'Kubernetes plugin',
};

/**
 * The section on the comparison: the plugin's entity routes against Tech Insights and the
 * Kubernetes plugin on one backend, the ratios and the target, then a table per route.
 */
export function comparisonSection(bench: ComparisonBench): string {
  const { shape, routes, result, facts } = bench;
  const byId = new Map(routes.map(r => [r.id, r]));
  const middle = (id: Route['id']) => summarise(runsOf(result, id));
  const ours = (['entity', 'score'] as const).filter(id => byId.has(id));
  const theirs = (
    ['tech-insights-checks', 'kubernetes-custom-resources'] as const
  ).filter(id => byId.has(id));
  const rows = ours.map(id => {
    const m = middle(id);
    const times = theirs.map(other =>
      ratio(m.requestsPerSecond, middle(other).requestsPerSecond),
    );
    const met =
      m.p99 < COMPARISON_P99_TARGET_MS &&
      times.every(t => t !== undefined && t >= COMPARISON_THROUGHPUT_TARGET);
    return [
      byId.get(id)!.title,
      formatNumber(m.requestsPerSecond),
      formatNumber(m.p99),
      ...times.map(t => formatRatio(t)),
      met ? 'yes' : 'no',
    ];
  });
  const verdicts = Object.entries(facts.verdicts)
    .map(([id, pass]) => `\`${id}\` ${pass ? 'passes' : 'fails'}`)
    .join(', ');
  return [
    '## Entity API at scale, side by side',
    '',
    `\`--compare-entities ${
      shape.entities
    }\`: a catalog of ${shape.entities.toLocaleString(
      'en-US',
    )} Components, the ${shape.services.toLocaleString(
      'en-US',
    )} services of the cluster above (${
      shape.days
    } days of backups) and ${shape.catalogOnly.toLocaleString(
      'en-US',
    )} more (\`app-<n>\`, owned by the same teams) that run on no collected cluster, as most of a large catalog does; each has a stored result. One backend on ${
      DATABASE_NAMES[result.database]
    } runs the Resilience plugin, Tech Insights (\`@backstage-community/plugin-tech-insights-backend\` with its JSON rules engine) and Backstage's Kubernetes plugin (\`@backstage/plugin-kubernetes-backend\`), all three over the same catalog and the same emulated cluster, and the routes are loaded in turn as above.`,
    '',
    `Tech Insights answers the equivalent checks: a fact retriever (\`test/src/bench/techInsights.ts\`) stores, for every Component, the values the plugin measured for \`${EQUIVALENT_CHECK_IDS.join(
      '`, `',
    )}\`, read from the plugin's score route, and one JSON-rule check per value holds it against the plugin's threshold. Before the load the bench checks that the measured entity is held to those thresholds and that Tech Insights gives the plugin's verdicts for it (${verdicts}). The Kubernetes plugin lists what it can show of the same entity: its Velero Backups and cert-manager Certificates by the entity's \`backstage.io/kubernetes-id\` label, read live from the cluster on each request, with no verdict. Target: the plugin's entity routes at p99 under ${COMPARISON_P99_TARGET_MS} ms and at least ${COMPARISON_THROUGHPUT_TARGET}× the throughput of both.`,
    '',
    table(
      [
        'database',
        'catalog ingestion',
        'first collection',
        'first scoring',
        'Tech Insights fact retrieval',
      ],
      [
        [
          DATABASE_NAMES[result.database],
          seconds(result.catalogMs),
          taskTime(result.collection),
          taskTime(result.scoring),
          `${taskTime(facts.retrieval)}, ${facts.facts.toLocaleString(
            'en-US',
          )} facts`,
        ],
      ],
    ),
    '',
    table(
      [
        'route',
        'requests/s',
        'p99 ms',
        ...theirs.map(id => `requests/s vs ${TARGET_NAMES[id]}`),
        'within target',
      ],
      rows,
    ),
    '',
    ...routes.flatMap(route => [
      measurementTable([result], route, routes[0]),
      '',
    ]),
  ]
    .join('\n')
    .trimEnd();
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
    itemsTable(collected),
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
      measurementTable(report.results, route, baseline),
      '',
    ]),
    ...(report.results.some(r => r.freshness?.length)
      ? [freshnessSection(report.results), '']
      : []),
    ...(report.scorecards ? [scorecardSection(report.scorecards), ''] : []),
    ...(report.comparison ? [comparisonSection(report.comparison), ''] : []),
    ...(report.sarif ? [sarifSection(report.sarif), ''] : []),
    ...(report.collection ? [collectionSection(report.collection), ''] : []),
    ...(report.tab ? [tabSection(report.tab), ''] : []),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}
