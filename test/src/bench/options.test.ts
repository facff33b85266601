import {
  DEFAULT_OPTIONS,
  OptionError,
  parseOptions,
  rerunCommand,
} from './options';

describe('parseOptions', () => {
  it('defaults to 500 services, 10 s runs, 3 runs, 32 connections, both databases', () => {
    const options = parseOptions([]);
    expect(options).toEqual(DEFAULT_OPTIONS);
    expect(options.teams * options.servicesPerTeam).toBe(500);
    expect(options).toMatchObject({
      days: 30,
      duration: 10,
      runs: 3,
      connections: 32,
      databases: ['sqlite', 'postgres'],
    });
  });

  it('reads the flags', () => {
    expect(
      parseOptions([
        '--teams',
        '40',
        '--services-per-team',
        '50',
        '--days',
        '7',
        '--collection-services',
        '0',
        '--collection-claims',
        '3',
        '--collection-certificates',
        '4',
        '--collection-days',
        '5',
        '--collection-hourly',
        '0',
        '--scorecard-teams',
        '0',
        '--scorecard-team-services',
        '6',
        '--scorecard-services-per-team',
        '2',
        '--compare-entities',
        '3000',
        '--sarif-results',
        '0',
        '--sarif-megabytes',
        '7',
        '--tab-claims',
        '0',
        '--tab-hourly',
        '9',
        '--tab-certificates',
        '8',
        '--tab-findings',
        '6',
        '--frontend-port',
        '13001',
        '--duration',
        '20',
        '--runs',
        '5',
        '--warmup',
        '0',
        '--connections',
        '8',
        '--databases',
        'postgres,sqlite',
        '--postgres',
        'postgresql://bench@db:5432',
        '--backend-port',
        '18000',
        '--emulator-port',
        '18443',
        '--out',
        'out.md',
        '--keep',
      ]),
    ).toEqual({
      teams: 40,
      servicesPerTeam: 50,
      days: 7,
      collectionServices: 0,
      collectionClaims: 3,
      collectionCertificates: 4,
      collectionDays: 5,
      collectionHourly: 0,
      scorecardTeams: 0,
      scorecardTeamServices: 6,
      scorecardServicesPerTeam: 2,
      compareEntities: 3000,
      sarifResults: 0,
      sarifMegabytes: 7,
      tabClaims: 0,
      tabHourly: 9,
      tabCertificates: 8,
      tabFindings: 6,
      frontendPort: 13001,
      duration: 20,
      runs: 5,
      warmup: 0,
      connections: 8,
      databases: ['sqlite', 'postgres'],
      postgres: 'postgresql://bench@db:5432',
      backendPort: 18000,
      emulatorPort: 18443,
      out: 'out.md',
      keep: true,
    });
  });

  it('takes the PostgreSQL server of the database tests from the environment', () => {
    const env = {
      BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING:
        'postgresql://ci@pg:5432',
    };
    expect(parseOptions([], env).postgres).toBe('postgresql://ci@pg:5432');
    expect(parseOptions(['--postgres', 'postgresql://x@y'], env).postgres).toBe(
      'postgresql://x@y',
    );
  });

  it.each([
    [['--teams'], '--teams needs a value'],
    [['--teams', '--days', '3'], '--teams needs a value'],
    [['--teams', '0'], '--teams must be a whole number of at least 1, not "0"'],
    [['--runs', '2'], '--runs must be a whole number of at least 3, not "2"'],
    [
      ['--collection-claims', '0'],
      '--collection-claims must be a whole number of at least 1, not "0"',
    ],
    [['--duration', '1.5'], '--duration must be a whole number'],
    [['--backend-port', '70000'], '--backend-port must be a port'],
    [['--databases', 'mysql'], '--databases takes a comma-separated list'],
    [['--fast', '1'], 'unknown option --fast'],
    [['fast'], 'unexpected argument "fast"'],
    [
      ['--teams', '2', '--services-per-team', '5', '--compare-entities', '9'],
      '--compare-entities counts the 10 services of the cluster too: give at least 10, or 0',
    ],
    [
      ['--backend-port', '9000', '--emulator-port', '9000'],
      'must be different',
    ],
  ])('refuses %j', (args, message) => {
    expect(() => parseOptions(args)).toThrow(OptionError);
    expect(() => parseOptions(args)).toThrow(message);
  });
});

describe('rerunCommand', () => {
  it('is plain `yarn bench` for the defaults', () => {
    expect(rerunCommand(DEFAULT_OPTIONS)).toBe('yarn bench');
  });

  it('gives the flags that differ, and names no server or file', () => {
    expect(
      rerunCommand(
        parseOptions([
          '--teams',
          '40',
          '--services-per-team',
          '50',
          '--collection-services',
          '0',
          '--databases',
          'sqlite',
          '--postgres',
          'postgresql://bench@db:5432',
          '--out',
          'elsewhere/report.md',
        ]),
      ),
    ).toBe(
      'yarn bench --teams 40 --services-per-team 50 --collection-services 0 --databases sqlite --out <file>',
    );
  });
});
