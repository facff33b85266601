/** The databases the bench runs the backend on, in this order. */
export const DATABASES = ['sqlite', 'postgres'] as const;
export type DatabaseId = (typeof DATABASES)[number];

/** What one `yarn bench` measures, and at what scale. */
export interface BenchOptions {
  teams: number;
  servicesPerTeam: number;
  /** Days of daily backups per service. */
  days: number;
  /**
   * The cluster whose full collection is timed against its floor: services (a namespace each;
   * 0 leaves the measurement out), claims and certificates per service, daily backups that
   * snapshot the volumes and hourly ones of the objects only.
   */
  collectionServices: number;
  collectionClaims: number;
  collectionCertificates: number;
  collectionDays: number;
  collectionHourly: number;
  /**
   * The catalog whose scorecards are loaded at scale: teams (0 leaves the measurement out),
   * services of the first team, which is loaded, and of each other team.
   */
  scorecardTeams: number;
  scorecardTeamServices: number;
  scorecardServicesPerTeam: number;
  /**
   * The catalog of the side-by-side comparison with Tech Insights and the Kubernetes plugin:
   * Components in all (0 leaves it out), the services of the cluster above and as many more that
   * run on no collected cluster.
   */
  compareEntities: number;
  /**
   * The SARIF log whose upload is timed against JSON.parse of its bytes: results (0 leaves the
   * measurement out) and about how many megabytes (10^6 bytes) it is.
   */
  sarifResults: number;
  sarifMegabytes: number;
  /**
   * The entity whose Resilience tab is timed in Chromium: claims (0 leaves the measurement
   * out), hourly backups, certificates and open findings.
   */
  tabClaims: number;
  tabHourly: number;
  tabCertificates: number;
  tabFindings: number;
  /** Port of the frontend dev server the tab is opened from. */
  frontendPort: number;
  /** Seconds of load per run. */
  duration: number;
  /** Runs per measurement; the report gives their median. */
  runs: number;
  /** Seconds of load per route before the first run, not measured. */
  warmup: number;
  connections: number;
  databases: DatabaseId[];
  /** Where PostgreSQL is, as a connection string without a database. */
  postgres: string;
  backendPort: number;
  emulatorPort: number;
  /** The report to write; BENCHMARKS.md at the repository root when absent. */
  out?: string;
  /** Keep the generated data and the logs. */
  keep: boolean;
  /**
   * Write a V8 CPU profile of each backend (`backend-<database>.cpuprofile`), and of the tab's
   * first measured load in Chromium (`tab.cpuprofile`), into this folder; its figures are then
   * slower than without.
   */
  cpuProf?: string;
}

export const DEFAULT_OPTIONS: BenchOptions = {
  teams: 20,
  servicesPerTeam: 25,
  days: 30,
  // 200 namespaces, 5,000 claims, 20,000 certificates, 200 × (10 + 240) = 50,000 backups.
  collectionServices: 200,
  collectionClaims: 25,
  collectionCertificates: 100,
  collectionDays: 10,
  collectionHourly: 240,
  // 500 teams; one of them owns 2,000 services, each other 4: 3,996 services.
  scorecardTeams: 500,
  scorecardTeamServices: 2000,
  scorecardServicesPerTeam: 4,
  compareEntities: 50_000,
  sarifResults: 200_000,
  sarifMegabytes: 100,
  tabClaims: 500,
  tabHourly: 2000,
  tabCertificates: 300,
  tabFindings: 20_000,
  frontendPort: 13000,
  duration: 10,
  runs: 3,
  warmup: 2,
  connections: 32,
  databases: [...DATABASES],
  postgres: 'postgresql://postgres@127.0.0.1:5432',
  // Not the demo's and e2e's 16443, 7007 and 3000: a bench can run beside them.
  backendPort: 17007,
  emulatorPort: 17443,
  keep: false,
};

export const USAGE = `usage: yarn bench [options]

  --teams N               teams of the synthetic cluster, one Group each (${
    DEFAULT_OPTIONS.teams
  })
  --services-per-team N   services, one Component each, per team (${
    DEFAULT_OPTIONS.servicesPerTeam
  })
  --days N                days of daily backups per service (${
    DEFAULT_OPTIONS.days
  })
  --collection-services N services of the cluster whose full collection is timed
                          against plain reads of the same pages, a namespace
                          each; 0 leaves it out (${
                            DEFAULT_OPTIONS.collectionServices
                          })
  --collection-claims N   claims per service there (${
    DEFAULT_OPTIONS.collectionClaims
  })
  --collection-certificates N
                          certificates per service there (${
                            DEFAULT_OPTIONS.collectionCertificates
                          })
  --collection-days N     daily backups per service there, with volume snapshots (${
    DEFAULT_OPTIONS.collectionDays
  })
  --collection-hourly N   hourly backups per service there, objects only (${
    DEFAULT_OPTIONS.collectionHourly
  })
  --scorecard-teams N     teams of the catalog whose team and organisation scorecards
                          are loaded at scale; 0 leaves it out (${
                            DEFAULT_OPTIONS.scorecardTeams
                          })
  --scorecard-team-services N
                          services of its first team, whose scorecard is loaded (${
                            DEFAULT_OPTIONS.scorecardTeamServices
                          })
  --scorecard-services-per-team N
                          services of each other team there (${
                            DEFAULT_OPTIONS.scorecardServicesPerTeam
                          })
  --compare-entities N    Components of the catalog over which the entity routes are
                          loaded side by side with Tech Insights and the Kubernetes
                          plugin: the services above and as many more that run on
                          no collected cluster; 0 leaves it out (${
                            DEFAULT_OPTIONS.compareEntities
                          })
  --sarif-results N       results of the SARIF log whose upload is timed against
                          JSON.parse of its bytes; 0 leaves it out (${
                            DEFAULT_OPTIONS.sarifResults
                          })
  --sarif-megabytes N     about how large that log is, in MB (${
    DEFAULT_OPTIONS.sarifMegabytes
  })
  --tab-claims N          claims of the entity whose Resilience tab is timed in
                          Chromium; 0 leaves it out (${
                            DEFAULT_OPTIONS.tabClaims
                          })
  --tab-hourly N          its hourly backups (${DEFAULT_OPTIONS.tabHourly})
  --tab-certificates N    its certificates (${DEFAULT_OPTIONS.tabCertificates})
  --tab-findings N        its open findings (${DEFAULT_OPTIONS.tabFindings})
  --frontend-port N       port of the frontend dev server it is opened from (${
    DEFAULT_OPTIONS.frontendPort
  })
  --duration S            seconds of load per run (${DEFAULT_OPTIONS.duration})
  --runs N                runs per measurement, at least 3 (${
    DEFAULT_OPTIONS.runs
  })
  --warmup S              seconds of load per route before the runs, not measured (${
    DEFAULT_OPTIONS.warmup
  })
  --connections N         concurrent connections of the load generator (${
    DEFAULT_OPTIONS.connections
  })
  --databases LIST        comma-separated, of ${DATABASES.join(', ')} (all)
  --postgres URL          PostgreSQL server to make the run's databases on
                          (BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING, else ${
                            DEFAULT_OPTIONS.postgres
                          })
  --backend-port N        port of the benchmarked backend (${
    DEFAULT_OPTIONS.backendPort
  })
  --emulator-port N       port of the Kubernetes API emulator (${
    DEFAULT_OPTIONS.emulatorPort
  })
  --out FILE              the report to write (BENCHMARKS.md at the repository root)
  --keep                  keep the generated data and the logs
  --cpu-prof DIR          write a CPU profile of each backend into DIR
                          (backend-<database>.cpuprofile,
                          collection-<database>-<run>.cpuprofile, and the tab's
                          first measured load in Chromium, tab.cpuprofile; read
                          one with yarn bench:profile FILE); the figures are
                          slower then
`;

/** A flag the bench does not know, or a value it cannot use; says which and why. */
export class OptionError extends Error {}

const INTEGER_FLAGS = {
  '--teams': 'teams',
  '--services-per-team': 'servicesPerTeam',
  '--days': 'days',
  '--collection-services': 'collectionServices',
  '--collection-claims': 'collectionClaims',
  '--collection-certificates': 'collectionCertificates',
  '--collection-days': 'collectionDays',
  '--collection-hourly': 'collectionHourly',
  '--scorecard-teams': 'scorecardTeams',
  '--scorecard-team-services': 'scorecardTeamServices',
  '--scorecard-services-per-team': 'scorecardServicesPerTeam',
  '--compare-entities': 'compareEntities',
  '--sarif-results': 'sarifResults',
  '--sarif-megabytes': 'sarifMegabytes',
  '--tab-claims': 'tabClaims',
  '--tab-hourly': 'tabHourly',
  '--tab-certificates': 'tabCertificates',
  '--tab-findings': 'tabFindings',
  '--frontend-port': 'frontendPort',
  '--duration': 'duration',
  '--runs': 'runs',
  '--warmup': 'warmup',
  '--connections': 'connections',
  '--backend-port': 'backendPort',
  '--emulator-port': 'emulatorPort',
} as const;

/** The lowest value of each whole-number flag. */
const MINIMUM: Record<keyof typeof INTEGER_FLAGS, number> = {
  '--teams': 1,
  '--services-per-team': 1,
  '--days': 1,
  '--collection-services': 0,
  '--collection-claims': 1,
  '--collection-certificates': 1,
  '--collection-days': 1,
  '--collection-hourly': 0,
  '--scorecard-teams': 0,
  '--scorecard-team-services': 1,
  '--scorecard-services-per-team': 1,
  '--compare-entities': 0,
  '--sarif-results': 0,
  '--sarif-megabytes': 1,
  '--tab-claims': 0,
  '--tab-hourly': 1,
  '--tab-certificates': 1,
  '--tab-findings': 1,
  '--frontend-port': 1,
  '--duration': 1,
  // A median of fewer runs says little about the spread.
  '--runs': 3,
  '--warmup': 0,
  '--connections': 1,
  '--backend-port': 1,
  '--emulator-port': 1,
};

/**
 * The options of `yarn bench`, from its arguments (without `node` and the script) and the
 * environment.
 *
 * @throws OptionError for an unknown flag, a missing value or one out of range.
 */
export function parseOptions(
  args: string[],
  env: Record<string, string | undefined> = {},
): BenchOptions {
  const options: BenchOptions = {
    ...DEFAULT_OPTIONS,
    databases: [...DEFAULT_OPTIONS.databases],
    postgres:
      env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ||
      DEFAULT_OPTIONS.postgres,
  };
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    if (flag === '--keep') {
      options.keep = true;
      continue;
    }
    const value = args[i + 1];
    if (value === undefined || value.startsWith('--')) {
      throw new OptionError(
        flag.startsWith('--')
          ? `${flag} needs a value`
          : `unexpected argument "${flag}"`,
      );
    }
    i++;
    if (flag in INTEGER_FLAGS) {
      const key = flag as keyof typeof INTEGER_FLAGS;
      const n = Number(value);
      if (!Number.isInteger(n) || n < MINIMUM[key]) {
        throw new OptionError(
          `${flag} must be a whole number of at least ${MINIMUM[key]}, not "${value}"`,
        );
      }
      if (key.endsWith('-port') && n > 65535) {
        throw new OptionError(`${flag} must be a port, not "${value}"`);
      }
      options[INTEGER_FLAGS[key]] = n;
    } else if (flag === '--databases') {
      const names = value.split(',').map(s => s.trim());
      const unknown = names.filter(
        n => !(DATABASES as readonly string[]).includes(n),
      );
      if (unknown.length > 0 || names.length === 0) {
        throw new OptionError(
          `--databases takes a comma-separated list of ${DATABASES.join(
            ', ',
          )}, not "${value}"`,
        );
      }
      // In the fixed order, once each.
      options.databases = DATABASES.filter(d => names.includes(d));
    } else if (flag === '--postgres') {
      options.postgres = value;
    } else if (flag === '--out') {
      options.out = value;
    } else if (flag === '--cpu-prof') {
      options.cpuProf = value;
    } else {
      throw new OptionError(`unknown option ${flag}`);
    }
  }
  const services = options.teams * options.servicesPerTeam;
  if (options.compareEntities > 0 && options.compareEntities < services) {
    throw new OptionError(
      `--compare-entities counts the ${services} services of the cluster too: give at least ${services}, or 0 to leave the comparison out`,
    );
  }
  if (options.backendPort === options.emulatorPort) {
    throw new OptionError(
      '--backend-port and --emulator-port must be different',
    );
  }
  return options;
}

/**
 * The command that reruns the bench with these options: the flags that differ from the
 * defaults. The PostgreSQL server is left out and the report's file is a placeholder, so that
 * the report names no host or path of the machine it ran on.
 */
export function rerunCommand(options: BenchOptions): string {
  const parts = ['yarn bench'];
  for (const [flag, key] of Object.entries(INTEGER_FLAGS)) {
    if (options[key] !== DEFAULT_OPTIONS[key]) {
      parts.push(`${flag} ${options[key]}`);
    }
  }
  if (options.databases.join() !== DEFAULT_OPTIONS.databases.join()) {
    parts.push(`--databases ${options.databases.join(',')}`);
  }
  if (options.out) parts.push('--out <file>');
  if (options.cpuProf) parts.push('--cpu-prof <dir>');
  return parts.join(' ');
}
