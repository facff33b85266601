import { DEFAULT_OPTIONS } from './options';
import {
  BenchReport,
  CollectionBench,
  CollectionRun,
  DatabaseResult,
  failures,
  formatNumber,
  formatRatio,
  renderReport,
  SarifBench,
  wrongSarifUploads,
} from './report';
import { benchRoutes, comparisonRoutes, scorecardRoutes } from './routes';
import { RunResult } from './stats';

const run = (
  requestsPerSecond: number,
  p50: number,
  p99: number,
): RunResult => ({
  requestsPerSecond,
  p50,
  p99,
  ok: requestsPerSecond * 10,
  non2xx: 0,
  errors: 0,
});

const routes = benchRoutes({
  entity: 'svc-0-0',
  team: 'team-0',
  servicesPerTeam: 25,
});

function result(database: DatabaseResult['database']): DatabaseResult {
  return {
    database,
    startupMs: 12_000,
    catalogMs: 30_000,
    collection: { startedAt: 0, endedAt: 8_400, startSeen: true },
    scoring: { startedAt: 9_000, endedAt: 12_000, startSeen: false },
    collected: [{ source: 'velero-backups', items: 15000 }],
    memoryAfterScoring: { peakBytes: 600 * 1048576, currentBytes: 0 },
    memoryAtEnd: { peakBytes: 800 * 1048576, currentBytes: 700 * 1048576 },
    responseBytes: { catalog: 1024, entity: 20480 },
    runs: {
      catalog: [run(1000, 30, 60), run(1200, 25, 50), run(1100, 28, 55)],
      entity: [run(100, 300, 600), run(110, 280, 500), run(90, 320, 650)],
      score: [run(50, 600, 900), run(55, 580, 880), run(45, 610, 950)],
      'team-scorecard': [
        run(20, 1500, 2000),
        run(22, 1400, 1900),
        run(21, 1450, 1950),
      ],
    },
  };
}

const report: BenchReport = {
  options: DEFAULT_OPTIONS,
  machine: {
    cpuModel: 'Example CPU',
    cpuCount: 8,
    memoryBytes: 16 * 1073741824,
    os: 'Debian GNU/Linux 12 (bookworm), Linux 6.1.0',
    node: 'v22.0.0',
    postgres: '15.8',
  },
  code: { commit: 'c2c9de14a09e', changed: true },
  startedAt: new Date('2026-12-01T10:00:00Z'),
  elapsedMs: 9 * 60_000,
  entity: 'svc-0-0',
  team: 'team-0',
  routes,
  results: [result('sqlite'), result('postgres')],
};

describe('renderReport', () => {
  const text = renderReport(report);

  it('says how to rerun it, that figures are medians of one run, and on what machine', () => {
    expect(text).toContain('```sh\nyarn install\nyarn bench\n```');
    expect(text).toContain(
      'took 9 minutes, on the code of commit `c2c9de14a09e` with uncommitted changes.',
    );
    expect(text).toContain(
      '**Every figure is the median of 3 runs measured in that one run**',
    );
    expect(text).toContain('| CPU | Example CPU |');
    expect(text).toContain('| CPUs | 8 |');
    expect(text).toContain('| memory | 16.0 GiB |');
    expect(text).toContain('| PostgreSQL | 15.8 |');
    expect(text).toContain('500 services in 20 teams');
    expect(text).toContain('| velero-backups | 15,000 |');
  });

  it('has a table per route, with the median, the ratios to the catalog and every run', () => {
    for (const route of routes) {
      expect(text).toContain(`: \`GET ${route.path}\``);
    }
    // requests/s 100 of 1,100; p50 300 of 28; p99 600 of 55.
    expect(text).toContain(
      '| SQLite | 100 | 300 | 600 | 0.091× | 11× | 11× | 3,000 / 0 / 0 | 1: 100 · 300 · 600<br>2: 110 · 280 · 500<br>3: 90 · 320 · 650 | 20 KiB |',
    );
    expect(text).toContain(
      '| PostgreSQL | 1,100 | 28 | 55 | 1 (baseline) | 1 (baseline) | 1 (baseline) |',
    );
  });

  it('times the collection and the scoring, and gives the memory', () => {
    expect(text).toContain(
      '| SQLite | 12.0 s | 30.0 s | 8.4 s | 3.0 s (at most) | 600 MiB | 800 MiB | 700 MiB |',
    );
  });

  it('is marked not valid when a response was not 2xx', () => {
    expect(text).not.toContain('Not valid');
    const broken = result('postgres');
    broken.runs.entity![1] = { ...run(500, 5, 9), non2xx: 4000, errors: 3 };
    const invalid = { ...report, results: [result('sqlite'), broken] };
    expect(failures(invalid)).toEqual([
      { database: 'postgres', route: 'entity', non2xx: 4000, errors: 3 },
    ]);
    expect(renderReport(invalid)).toContain(
      '> **Not valid:** some responses were not 2xx or never came (PostgreSQL entity: 4000 non-2xx, 3 errors)',
    );
  });
});

describe('freshness', () => {
  const fresh = (database: DatabaseResult['database'], scored: number[]) => ({
    ...result(database),
    freshness: scored.map((completedMs, i) => ({
      createdMs: 1_000 + i * 100,
      completedMs,
    })),
  });

  it('gives the medians of listed and scored, with every run, against the target', () => {
    const text = renderReport({
      ...report,
      results: [
        fresh('sqlite', [2_500, 2_000, 3_000]),
        fresh('postgres', [12_000, 9_000, 15_000]),
      ],
    });
    expect(text).toContain('## Freshness');
    expect(text).toContain(
      '| SQLite | 1.10 s | 2.50 s | yes | 1: 1.00 s<br>2: 1.10 s<br>3: 1.20 s | 1: 2.50 s<br>2: 2.00 s<br>3: 3.00 s |',
    );
    expect(text).toContain('| PostgreSQL | 1.10 s | 12.00 s | no |');
    expect(text).toContain('Target: scored within 10 s.');
  });

  it("gives the median of the entities evaluated again, out of those scored, when the backend's log was read", () => {
    const counted = (database: DatabaseResult['database']) => {
      const base = fresh(database, [2_500, 2_000, 3_000]);
      return {
        ...base,
        freshness: base.freshness.map((measured, i) => ({
          ...measured,
          evaluations: { scorings: 3, evaluated: [3, 1, 500][i], scored: 500 },
        })),
      };
    };
    const text = renderReport({
      ...report,
      results: [counted('sqlite'), fresh('postgres', [2_000, 2_000, 2_000])],
    });
    expect(text).toContain(
      '| SQLite | 1.10 s | 2.50 s | yes | 3 of 500 | 1: 1.00 s<br>2: 1.10 s<br>3: 1.20 s | 1: 2.50 s<br>2: 2.00 s<br>3: 3.00 s | 1: 3 · 3<br>2: 1 · 3<br>3: 500 · 3 |',
    );
    expect(text).toContain('| PostgreSQL | 1.10 s | 2.00 s | yes | – |');
    expect(text).toContain('"Evaluated" is how many entities');
    expect(
      renderReport({ ...report, results: [fresh('sqlite', [1_000])] }),
    ).not.toContain('Evaluated');
  });

  it('is left out when the bench did not measure it', () => {
    expect(renderReport(report)).not.toContain('## Freshness');
  });
});

describe('the tab in Chromium', () => {
  const tabRun = (contentMs: number, nextPageMs: number) => ({
    contentMs,
    longTasks: 4,
    blockingMs: 300,
    longestTaskMs: 180,
    nextPageMs,
    claimRows: 20,
  });
  const text = renderReport({
    ...report,
    tab: {
      shape: { claims: 500, hourly: 2000, certificates: 300, findings: 20000 },
      database: 'sqlite',
      entity: {
        claims: 500,
        backups: 1000,
        certificates: 300,
        findings: 20000,
      },
      bundle: { files: 120, bytes: 1_048_576, gzipBytes: 262_144 },
      runs: [tabRun(2_000, 40), tabRun(1_500, 30), tabRun(2_500, 50)],
    },
  });

  it('gives the medians with every run, what the entity held and the build size', () => {
    expect(text).toContain('## The Resilience tab in Chromium');
    expect(text).toContain(
      '| time to content | 2000 ms | 1: 2000 ms<br>2: 1500 ms<br>3: 2500 ms |',
    );
    expect(text).toContain('| next page of the claims table | 40 ms |');
    expect(text).toContain(
      "its view held 500 claims, 1,000 backups (the timeline's cap), 300 certificates and 20,000 open findings",
    );
    expect(text).toContain('120 JavaScript files, 1024 KiB, 256 KiB gzipped');
  });

  it('is left out when the bench did not measure it', () => {
    expect(renderReport(report)).not.toContain('Chromium');
  });
});

describe('the full collection of a large cluster', () => {
  const MiB = 1048576;
  const collected = (
    seconds: number,
    growthMiB: number,
    requests = 260,
  ): CollectionRun => ({
    collection: {
      startedAt: 1000,
      endedAt: 1000 + seconds * 1000,
      startSeen: true,
    },
    scoring: { startedAt: 0, endedAt: 5000, startSeen: true },
    rssBeforeBytes: 500 * MiB,
    peakRssBytes: (500 + growthMiB) * MiB,
    requests: { total: requests, listPages: requests, failed: 0 },
  });
  const floor = (seconds: number, growthMiB: number) => ({
    elapsedMs: seconds * 1000,
    pages: 260,
    items: 129_000,
    bytes: 300 * MiB,
    rssBeforeBytes: 50 * MiB,
    peakRssBytes: (50 + growthMiB) * MiB,
  });
  const collection: CollectionBench = {
    shape: {
      services: 200,
      claims: 25,
      certificates: 100,
      days: 10,
      hourly: 240,
    },
    results: [
      {
        database: 'postgres',
        first: [collected(40, 300), collected(30, 200), collected(50, 400)],
        again: [collected(20, 100), collected(25, 90), collected(22, 80, 262)],
        floor: [floor(10, 120), floor(12, 100), floor(11, 110)],
        collected: [{ source: 'velero-backups', items: 50_000 }],
      },
    ],
  };
  const text = renderReport({ ...report, collection });

  it('gives the medians of the first and repeated collection against the floor of the same runs', () => {
    expect(text).toContain('## Full collection of a large cluster');
    expect(text).toContain(
      '`--collection-services 200 --collection-claims 25 --collection-certificates 100 --collection-days 10 --collection-hourly 240`',
    );
    expect(text).toContain('| velero-backups | 50,000 |');
    // 40 s of 11 s, growth 300 MiB against the floor's 110 MiB.
    expect(text).toContain(
      '| PostgreSQL | first, into empty tables | 40.0 s | 11.0 s | 3.6× | 300 MiB | 110 MiB | 260 (0 not 2xx) | 260 | 1: 40.0 s<br>2: 30.0 s<br>3: 50.0 s | 1: 300 MiB<br>2: 200 MiB<br>3: 400 MiB |',
    );
    expect(text).toContain(
      '| PostgreSQL | again, unchanged | 22.0 s | 11.0 s | 2.0× | 90 MiB | 110 MiB | 260 (0 not 2xx) |',
    );
    expect(text).toContain(
      'Floor runs: PostgreSQL: 1: 10.0 s, 2: 12.0 s, 3: 11.0 s.',
    );
  });

  it('gives the freshness at that scale when measured, and leaves it out otherwise', () => {
    expect(text).not.toContain('### Freshness at this scale');
    const withFreshness = renderReport({
      ...report,
      collection: {
        ...collection,
        results: collection.results.map(r => ({
          ...r,
          freshness: [12_000, 8_000, 9_500].map(completedMs => ({
            createdMs: 7_000,
            completedMs,
            evaluations: { scorings: 3, evaluated: 1, scored: 200 },
          })),
        })),
      },
    });
    expect(withFreshness).toContain('### Freshness at this scale');
    expect(withFreshness).toContain('on a cluster of 50,000 backups');
    expect(withFreshness).toContain(
      '| PostgreSQL | 7.00 s | 9.50 s | yes | 1 of 200 |',
    );
    const failed = renderReport({
      ...report,
      collection: {
        ...collection,
        results: collection.results.map(r => ({
          ...r,
          freshnessFailure: 'the score not within 120 s',
        })),
      },
    });
    expect(failed).toContain(
      '**Freshness at this scale not measured (target missed):** PostgreSQL: the score not within 120 s.',
    );
  });

  it('is left out when the bench did not measure it', () => {
    expect(renderReport(report)).not.toContain('Full collection');
  });
});

describe('the SARIF upload', () => {
  const MiB = 1048576;
  const upload = (
    seconds: number,
    growthMiB: number,
    opened: number,
    fixed: number,
  ) => ({
    elapsedMs: seconds * 1000,
    rssBeforeBytes: 400 * MiB,
    peakRssBytes: (400 + growthMiB) * MiB,
    opened,
    fixed,
  });
  const floor = (seconds: number, growthMiB: number) => ({
    elapsedMs: seconds * 1000,
    results: 200_000,
    rssBeforeBytes: 40 * MiB,
    peakRssBytes: (40 + growthMiB) * MiB,
  });
  const sarif: SarifBench = {
    shape: { results: 200_000, bytes: 100_000_000, changedEvery: 10 },
    results: [
      {
        database: 'sqlite',
        first: [
          upload(9, 900, 200_000, 0),
          upload(8, 800, 200_000, 0),
          upload(10, 1000, 200_000, 0),
        ],
        again: [
          upload(6, 600, 0, 0),
          upload(5, 500, 0, 0),
          upload(7, 700, 0, 0),
        ],
        changed: [
          upload(7, 700, 20_000, 20_000),
          upload(6, 600, 20_000, 20_000),
          upload(8, 800, 20_000, 20_000),
        ],
        floor: [floor(1, 500), floor(1.2, 520), floor(1.1, 510)],
      },
    ],
  };

  it('gives each upload against the floor of the same bytes, with what it opened and fixed', () => {
    const text = renderReport({ ...report, sarif });
    expect(text).toContain('## SARIF upload');
    expect(text).toContain('`--sarif-results 200000 --sarif-megabytes 100`');
    expect(text).toContain('and all were right');
    expect(text).toContain(
      '| SQLite | first upload | 9.00 s | 1.10 s | 8.2× | 900 MiB | 510 MiB | 200,000 / 0 | 1: 9.00 s<br>2: 8.00 s<br>3: 10.00 s | 1: 900 MiB<br>2: 800 MiB<br>3: 1000 MiB |',
    );
    expect(text).toContain(
      '| SQLite | again, unchanged | 6.00 s | 1.10 s | 5.5× | 600 MiB | 510 MiB | 0 / 0 |',
    );
    expect(text).toContain(
      '| SQLite | again, 10 % changed | 7.00 s | 1.10 s | 6.4× | 700 MiB | 510 MiB | 20,000 / 20,000 |',
    );
    expect(wrongSarifUploads(sarif)).toEqual([]);
  });

  it('says which upload stored the wrong findings, and is not valid then', () => {
    const wrong: SarifBench = {
      ...sarif,
      results: [{ ...sarif.results[0], again: [upload(6, 600, 200_000, 0)] }],
    };
    expect(wrongSarifUploads(wrong)).toEqual([
      'SQLite again, unchanged: 200000 opened and 0 fixed, not 0 and 0',
    ]);
    const text = renderReport({ ...report, sarif: wrong });
    expect(text).toContain('> **Not valid:** SQLite again, unchanged');
    expect(text).not.toContain('and all were right');
  });

  it('is left out when the bench did not measure it', () => {
    expect(renderReport(report)).not.toContain('SARIF upload');
  });
});

describe('the scorecards at scale', () => {
  const scaledRoutes = scorecardRoutes({
    entity: 'svc-0-0',
    team: 'team-0',
    teamServices: 2000,
    teams: 500,
  });
  const scaled = (database: DatabaseResult['database']): DatabaseResult => ({
    ...result(database),
    runs: {
      catalog: [run(1000, 30, 60), run(1200, 25, 50), run(1100, 28, 55)],
      'team-scorecard': [
        run(200, 150, 300),
        run(220, 140, 280),
        run(210, 145, 290),
      ],
      'organisation-scorecard': [
        run(50, 600, 900),
        run(55, 580, 880),
        run(45, 610, 950),
      ],
    },
  });
  const scorecards = {
    shape: {
      teams: 500,
      teamServices: 2000,
      servicesPerTeam: 4,
      days: 3,
      services: 3996,
    },
    routes: scaledRoutes,
    results: [scaled('postgres')],
  };

  it('has a table per route with the ratios to the catalog of the same backend', () => {
    const text = renderReport({ ...report, scorecards });
    expect(text).toContain('## Scorecards at scale');
    expect(text).toContain(
      'a catalog of 500 teams and 3,996 services, of which `team-0` owns 2,000',
    );
    expect(text).toContain(
      '### Organisation scorecard: `GET /api/resilience/scorecard`',
    );
    // requests/s 50 of 1,100; p99 900 of 55.
    expect(text).toContain(
      '| PostgreSQL | 50 | 600 | 900 | 0.045× | 21× | 16× |',
    );
    expect(text).toContain(
      '| PostgreSQL | 12.0 s | 30.0 s | 8.4 s | 3.0 s (at most) |',
    );
  });

  it('counts its failures with the others', () => {
    const broken = scaled('sqlite');
    broken.runs['organisation-scorecard']![0] = { ...run(10, 5, 9), errors: 2 };
    expect(
      failures({ ...report, scorecards: { ...scorecards, results: [broken] } }),
    ).toEqual([
      {
        database: 'sqlite',
        route: 'organisation-scorecard',
        non2xx: 0,
        errors: 2,
      },
    ]);
  });
});

describe('the comparison with Tech Insights and the Kubernetes plugin', () => {
  const compared = comparisonRoutes({
    entity: 'svc-0-0',
    checks: ['resilience-backup-rpo'],
  });
  const comparisonResult = (entityP99: number): DatabaseResult => ({
    ...result('postgres'),
    runs: {
      catalog: [run(1000, 30, 60), run(1200, 25, 50), run(1100, 28, 55)],
      entity: [run(900, 10, entityP99), run(1000, 9, 20), run(950, 9, 21)],
      score: [run(1100, 8, 15), run(1000, 9, 16), run(1050, 8, 17)],
      'tech-insights-checks': [
        run(100, 300, 600),
        run(90, 320, 650),
        run(95, 310, 640),
      ],
      'kubernetes-custom-resources': [
        run(50, 600, 900),
        run(40, 650, 990),
        run(45, 620, 950),
      ],
    },
  });
  const comparison = (entityP99 = 30) => ({
    shape: { entities: 50000, services: 500, catalogOnly: 49500, days: 30 },
    routes: compared,
    result: comparisonResult(entityP99),
    facts: {
      retrieval: { startedAt: 0, endedAt: 61_000, startSeen: true },
      facts: 50000,
      verdicts: { 'resilience-backup-rpo': true },
    },
  });

  it('gives the ratios to Tech Insights and the Kubernetes plugin, and whether the target is met', () => {
    const text = renderReport({ ...report, comparison: comparison() });
    expect(text).toContain('## Entity API at scale, side by side');
    expect(text).toContain(
      'a catalog of 50,000 Components, the 500 services of the cluster above (30 days of backups) and 49,500 more',
    );
    expect(text).toContain('(`resilience-backup-rpo` passes)');
    expect(text).toContain(
      '| PostgreSQL | 30.0 s | 8.4 s | 3.0 s (at most) | 61.0 s, 50,000 facts |',
    );
    // The entity view: 950 requests/s, 10x of 95 and 21x of 45, but a p99 of 21 ms (runs of
    // 30, 20 and 21): within the target; the score at 1,050 requests/s, p99 16 ms.
    expect(text).toContain(
      '| Resilience entity view | 950 | 21 | 10× | 21× | yes |',
    );
    expect(text).toContain('| Entity score | 1,050 | 16 | 11× | 23× | yes |');
    expect(text).toContain(
      '### Tech Insights, the equivalent checks: `POST /api/tech-insights/checks/run/default/component/svc-0-0`',
    );
  });

  it('says the target is missed when the p99 is 25 ms or more', () => {
    const slow = comparison();
    slow.result.runs.entity = [
      run(950, 10, 30),
      run(950, 10, 26),
      run(950, 10, 40),
    ];
    expect(renderReport({ ...report, comparison: slow })).toContain(
      '| Resilience entity view | 950 | 30 | 10× | 21× | no |',
    );
  });

  it('counts its failures with the others', () => {
    const broken = comparison();
    broken.result.runs['kubernetes-custom-resources']![2] = {
      ...run(10, 5, 9),
      non2xx: 7,
    };
    expect(failures({ ...report, comparison: broken })).toEqual([
      {
        database: 'postgres',
        route: 'kubernetes-custom-resources',
        non2xx: 7,
        errors: 0,
      },
    ]);
  });
});

describe('formatNumber and formatRatio', () => {
  it.each([
    [1234.4, '1,234'],
    [45.55, '45.5'],
    [3.14159, '3.14'],
    [12, '12'],
    [Infinity, '–'],
  ])('formats %d as %s', (value, expected) => {
    expect(formatNumber(value)).toBe(expected);
  });

  it('gives ratios to two figures', () => {
    expect(formatRatio(0.08912)).toBe('0.089×');
    expect(formatRatio(11.2)).toBe('11×');
    expect(formatRatio(undefined)).toBe('–');
  });
});
