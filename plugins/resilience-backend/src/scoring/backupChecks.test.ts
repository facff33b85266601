import { CheckResult } from '@resilience-for-backstage/plugin-resilience-common';
import {
  BackupFact,
  PvcFact,
  ScheduleFact,
  StorageLocationFact,
} from '../database/types';
import { backupChecks, BackupCheckInput, ClaimFacts } from './backupChecks';
import { ResolvedPolicy } from './policy';

const H = 3_600_000;
const D = 24 * H;
const now = new Date('2026-11-25T12:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

const pvc = (name: string, cluster = 'prod'): PvcFact => ({
  cluster,
  uid: `uid-${name}`,
  namespace: 'payments',
  name,
  labels: {},
});

const backup = (
  name: string,
  overrides: Partial<BackupFact> = {},
): BackupFact => ({
  cluster: 'prod',
  uid: `uid-${name}`,
  namespace: 'velero',
  name,
  phase: 'Completed',
  selection: { includedNamespaces: ['payments'] },
  startedAt: ago(3 * H + 600_000),
  completedAt: ago(3 * H),
  errors: 0,
  warnings: 0,
  ttlMs: 30 * D,
  storageLocation: 'default',
  capture: {
    volumeSnapshotsCompleted: 0,
    csiVolumeSnapshotsCompleted: 1,
    itemOperationsCompleted: 0,
  },
  ...overrides,
});

const schedule = (
  name: string,
  overrides: Partial<ScheduleFact> = {},
): ScheduleFact => ({
  cluster: 'prod',
  uid: `uid-${name}`,
  namespace: 'velero',
  name,
  schedule: '0 2 * * *',
  paused: false,
  phase: 'Enabled',
  ttl: '720h0m0s',
  selection: { includedNamespaces: ['payments'] },
  ...overrides,
});

const location = (
  name: string,
  overrides: Partial<StorageLocationFact> = {},
): StorageLocationFact => ({
  cluster: 'prod',
  uid: `uid-${name}`,
  namespace: 'velero',
  name,
  phase: 'Available',
  isDefault: name === 'default',
  ...overrides,
});

const policy = (overrides: Partial<ResolvedPolicy> = {}): ResolvedPolicy => ({
  policy: {
    tier: 'standard',
    rpoSeconds: 24 * 3600,
    retentionSeconds: 7 * 86400,
    recentBackups: 5,
    overriddenBy: [],
    problems: [],
  },
  rpoKnown: true,
  retentionKnown: true,
  ...overrides,
});

const good = (
  name: string,
  overrides: Partial<ClaimFacts> = {},
): ClaimFacts => ({
  pvc: pvc(name),
  coverage: 'verified',
  reason: 'Backup nightly holds a ready CSI snapshot.',
  lastGood: backup('nightly'),
  schedules: [schedule('daily')],
  ...overrides,
});

function run(overrides: Partial<BackupCheckInput> = {}): CheckResult[] {
  return backupChecks({
    now,
    policy: policy(),
    claims: [good('data-0'), good('data-1')],
    storageLocations: [location('default')],
    recentBackups: [backup('nightly'), backup('nightly-before')],
    collected: () => true,
    ...overrides,
  });
}

const check = (results: CheckResult[], id: string) =>
  results.find(r => r.id === id)!;

describe('backupChecks', () => {
  it('returns the six checks in the documented order, all passing for a healthy entity', () => {
    const results = run();
    expect(results.map(r => [r.id, r.state])).toEqual([
      ['backup.pvc-coverage', 'pass'],
      ['backup.rpo', 'pass'],
      ['backup.schedule', 'pass'],
      ['backup.retention', 'pass'],
      ['backup.storage-location', 'pass'],
      ['backup.recent-failures', 'pass'],
    ]);
    expect(check(results, 'backup.rpo')).toMatchObject({
      // The default backup started 3 h 10 min ago and completed 3 h ago.
      value: 3 * 3600 + 600,
      threshold: 24 * 3600,
      unit: 'seconds',
      bound: 'at-most',
    });
    expect(check(results, 'backup.schedule')).toMatchObject({
      value: 24 * 3600,
      threshold: 24 * 3600,
    });
    expect(check(results, 'backup.retention')).toMatchObject({
      value: 30 * 86400,
      threshold: 7 * 86400,
      bound: 'at-least',
    });
  });

  it('is not applicable to an entity without claims', () => {
    expect(run({ claims: [] }).map(r => r.state)).toEqual(
      Array(6).fill('not-applicable'),
    );
  });

  describe('backup.pvc-coverage', () => {
    it('fails naming each claim without a good backup and why', () => {
      const result = check(
        run({
          claims: [
            good('data-0'),
            good('data-1', {
              coverage: 'not-covered',
              reason: 'No completed backup includes this claim.',
              lastGood: undefined,
            }),
          ],
        }),
        'backup.pvc-coverage',
      );
      expect(result).toMatchObject({ state: 'fail', value: 1, threshold: 0 });
      expect(result.message).toBe(
        '1 of 2 claims has no completed backup that captured its data. prod/payments/data-1: No completed backup includes this claim.',
      );
      expect(result.evidence).toContainEqual({
        kind: 'pvc',
        cluster: 'prod',
        namespace: 'payments',
        name: 'data-1',
        note: 'No completed backup includes this claim.',
      });
    });

    it('counts covered claims as backed up, and says how many are verified', () => {
      const result = check(
        run({ claims: [good('a'), good('b', { coverage: 'covered' })] }),
        'backup.pvc-coverage',
      );
      expect(result.state).toBe('pass');
      expect(result.message).toMatch(/1 verified .* 1 covered/);
    });

    it('is unknown, not passing, when the backups were never collected', () => {
      const results = run({
        collected: (_cluster, source) => source !== 'velero-backups',
      });
      expect(check(results, 'backup.pvc-coverage').state).toBe('unknown');
      expect(check(results, 'backup.rpo').state).toBe('unknown');
      expect(check(results, 'backup.recent-failures').state).toBe('unknown');
      expect(check(results, 'backup.pvc-coverage').message).toMatch(
        /velero-backups of cluster prod has never been collected/,
      );
    });
  });

  describe('backup.rpo', () => {
    it.each([
      [
        '23 h',
        { startedAt: ago(23 * H), completedAt: ago(22 * H) },
        'pass',
        23 * H,
      ],
      [
        'exactly the RPO',
        { startedAt: ago(24 * H), completedAt: ago(23 * H) },
        'pass',
        24 * H,
      ],
      [
        'a minute past the RPO',
        { startedAt: ago(24 * H + 60_000), completedAt: ago(2 * H) },
        'fail',
        24 * H + 60_000,
      ],
      [
        '3 days',
        { startedAt: ago(3 * D), completedAt: ago(3 * D - H) },
        'fail',
        3 * D,
      ],
      // A six-hour backup that completed 20 h ago holds data up to 26 h old: counting from its
      // completion would pass a 24 h RPO.
      [
        '26 h, from a six-hour backup completed 20 h ago',
        { startedAt: ago(26 * H), completedAt: ago(20 * H) },
        'fail',
        26 * H,
      ],
      // Without a start, its creation (earlier still) is counted, never its completion.
      [
        '25 h from its creation, when it has no start',
        { startedAt: undefined, createdAt: ago(25 * H), completedAt: ago(H) },
        'fail',
        25 * H,
      ],
    ])('data %s old → %s', (_, times: Partial<BackupFact>, state, age) => {
      const result = check(
        run({ claims: [good('a', { lastGood: backup('b', times) })] }),
        'backup.rpo',
      );
      expect(result.state).toBe(state);
      expect(result.value).toBe(age / 1000);
    });

    it('shows both the start and the completion in the message and the evidence', () => {
      const result = check(
        run({
          claims: [
            good('a', {
              lastGood: backup('six-hours', {
                startedAt: ago(26 * H),
                completedAt: ago(20 * H),
              }),
            }),
          ],
        }),
        'backup.rpo',
      );
      expect(result.message).toMatch(
        /six-hours, is 26 h old \(started 26 h ago, completed 20 h ago\)/,
      );
      expect(result.evidence).toContainEqual(
        expect.objectContaining({
          kind: 'backup',
          name: 'six-hours',
          note: 'started 26 h ago, completed 20 h ago',
        }),
      );
    });

    it('is unknown, not judged by the completion, when the backup has no start or creation time', () => {
      const result = check(
        run({
          claims: [
            good('a', {
              lastGood: backup('b', {
                startedAt: undefined,
                createdAt: undefined,
                completedAt: ago(H),
              }),
            }),
          ],
        }),
        'backup.rpo',
      );
      expect(result.state).toBe('unknown');
      expect(result.value).toBeUndefined();
      expect(result.message).toMatch(/has no start or creation time/);
    });

    it('fails a claim with no good backup and measures nothing', () => {
      const result = check(
        run({ claims: [good('a'), good('b', { lastGood: undefined })] }),
        'backup.rpo',
      );
      expect(result.state).toBe('fail');
      expect(result.value).toBeUndefined();
      expect(result.message).toMatch(
        /prod\/payments\/b: it has no good backup at all/,
      );
    });

    it('holds an annotated RPO', () => {
      const strict = policy();
      strict.policy.rpoSeconds = 3600;
      const result = check(run({ policy: strict }), 'backup.rpo');
      expect(result.state).toBe('fail');
      expect(result.message).toMatch(/within|younger than the RPO of 1 h/);
    });

    it('is unknown when the RPO annotation cannot be read, never judged by the tier', () => {
      const broken = policy({ rpoKnown: false });
      broken.policy.problems = [
        'resilience.io/rpo: "1 hour" is not a duration',
      ];
      const results = run({ policy: broken });
      expect(check(results, 'backup.rpo').state).toBe('unknown');
      expect(check(results, 'backup.schedule').state).toBe('unknown');
      expect(check(results, 'backup.rpo').message).toMatch(
        /"1 hour" is not a duration/,
      );
      expect(check(results, 'backup.retention').state).toBe('pass');
    });
  });

  describe('backup.schedule', () => {
    it.each([
      ['paused', { paused: true }, /daily is paused/],
      [
        'failed validation',
        { phase: 'FailedValidation' },
        /in phase FailedValidation/,
      ],
      ['never validated', { phase: undefined }, /not yet validated/],
      [
        'capturing no data',
        { snapshotVolumes: false },
        /capture no data of this claim/,
      ],
      [
        'not taking this volume by file-system backup',
        {
          snapshotVolumes: false,
          defaultVolumesToFsBackup: true,
          fileSystemBackup: false,
        },
        /capture no data of this claim/,
      ],
      [
        'weekdays only',
        { schedule: '0 2 * * 1-5' },
        /leaves up to 3 d between runs/,
      ],
      ['unreadable', { schedule: '0 2 * *' }, /has 4 fields/],
    ])('fails when the only schedule is %s', (_what, overrides, message) => {
      const result = check(
        run({
          claims: [good('a', { schedules: [schedule('daily', overrides)] })],
        }),
        'backup.schedule',
      );
      expect(result.state).toBe('fail');
      expect(result.message).toMatch(message);
    });

    it.each([
      [
        'the pods opt the volume into file-system backup',
        { fileSystemBackup: true },
      ],
      [
        'file-system backup is the default and the pods are not known',
        { defaultVolumesToFsBackup: true },
      ],
    ])('counts a schedule without snapshots when %s', (_what, overrides) => {
      const result = check(
        run({
          claims: [
            good('a', {
              schedules: [
                schedule('fs', { snapshotVolumes: false, ...overrides }),
              ],
            }),
          ],
        }),
        'backup.schedule',
      );
      expect(result.state).toBe('pass');
    });

    it('passes when one of several schedules runs within the RPO', () => {
      const result = check(
        run({
          claims: [
            good('a', {
              schedules: [
                schedule('weekly', { schedule: '@weekly' }),
                schedule('hourly', { schedule: '0 * * * *' }),
              ],
            }),
          ],
        }),
        'backup.schedule',
      );
      expect(result).toMatchObject({ state: 'pass', value: 3600 });
      expect(result.evidence.map(e => e.note)).toContain(
        'runs at most every 7 d',
      );
    });

    it('fails a claim no schedule includes', () => {
      const result = check(
        run({ claims: [good('a', { schedules: [] })] }),
        'backup.schedule',
      );
      expect(result.message).toMatch(/no schedule includes it/);
    });

    it('is unknown when schedules were never collected', () => {
      const result = check(
        run({ collected: (_c, source) => source !== 'velero-schedules' }),
        'backup.schedule',
      );
      expect(result.state).toBe('unknown');
    });
  });

  describe('backup.retention', () => {
    it.each([
      [7 * D, 'pass'],
      [48 * H, 'fail'],
    ])('a last good backup kept %d ms → %s', (ttlMs, state) => {
      const result = check(
        run({ claims: [good('a', { lastGood: backup('b', { ttlMs }) })] }),
        'backup.retention',
      );
      expect(result).toMatchObject({ state, value: ttlMs / 1000 });
    });

    it('is unknown when the backup records no TTL (the server default applies)', () => {
      const result = check(
        run({
          claims: [good('a', { lastGood: backup('b', { ttlMs: undefined }) })],
        }),
        'backup.retention',
      );
      expect(result.state).toBe('unknown');
      expect(result.message).toMatch(/server default/);
    });

    it('judges a claim without a good backup by its running schedule', () => {
      const result = check(
        run({
          claims: [
            good('a', {
              lastGood: undefined,
              schedules: [schedule('short', { ttl: '48h0m0s' })],
            }),
          ],
        }),
        'backup.retention',
      );
      expect(result.state).toBe('fail');
      expect(result.message).toMatch(/schedule short is kept 2 d/);
    });
  });

  describe('backup.storage-location', () => {
    it('fails when the last good backup went to an unavailable location, quoting Velero', () => {
      const result = check(
        run({
          storageLocations: [
            location('default'),
            location('secondary', {
              phase: 'Unavailable',
              message: 'NoSuchBucket',
            }),
          ],
          claims: [
            good('a', {
              lastGood: backup('b', { storageLocation: 'secondary' }),
            }),
          ],
        }),
        'backup.storage-location',
      );
      expect(result.state).toBe('fail');
      expect(result.message).toMatch(
        /last good backup b uses secondary, which is Unavailable: NoSuchBucket/,
      );
    });

    it('falls back to the default location for a schedule that names none', () => {
      const result = check(
        run({
          storageLocations: [location('primary', { isDefault: true })],
          claims: [
            good('a', {
              lastGood: backup('b', { storageLocation: 'primary' }),
              schedules: [schedule('daily')],
            }),
          ],
        }),
        'backup.storage-location',
      );
      expect(result.state).toBe('pass');
      expect(result.evidence.map(e => e.note)).toContain(
        'schedule daily (the default location) uses primary, Available',
      );
    });

    it.each([
      [[], 'fail', /uses storage location default, which does not exist/],
      [
        [location('default', { phase: undefined })],
        'unknown',
        /not validated yet/,
      ],
      [[location('default', { accessMode: 'ReadOnly' })], 'warn', /ReadOnly/],
    ])('with locations %j → %s', (storageLocations, state, message) => {
      const result = check(
        run({ storageLocations }),
        'backup.storage-location',
      );
      expect(result.state).toBe(state);
      expect(result.message).toMatch(message);
    });

    it('is unknown when storage locations were never collected', () => {
      const result = check(
        run({ collected: (_c, s) => s !== 'backup-storage-locations' }),
        'backup.storage-location',
      );
      expect(result.state).toBe('unknown');
    });
  });

  describe('backup.recent-failures', () => {
    it.each([
      ['PartiallyFailed', 1, 2],
      ['Failed', 1, 0],
      ['FailedValidation', 0, 0],
    ])('fails on a %s backup, with its counts', (phase, errors, warnings) => {
      const result = check(
        run({
          recentBackups: [
            backup('newest'),
            backup('broken', { phase, errors, warnings }),
          ],
        }),
        'backup.recent-failures',
      );
      expect(result).toMatchObject({ state: 'fail', value: 1, threshold: 0 });
      expect(result.message).toContain(`broken ${phase} (`);
      expect(result.evidence).toContainEqual(
        expect.objectContaining({
          name: 'broken',
          note: expect.stringContaining(phase),
        }),
      );
    });

    it('is not applicable before any backup that includes the claims finished', () => {
      expect(
        check(run({ recentBackups: [] }), 'backup.recent-failures').state,
      ).toBe('not-applicable');
    });
  });

  describe('before the claims of a cluster were ever listed', () => {
    it('makes every check unknown for an entity that shows no claims, never not-applicable', () => {
      const results = run({
        claims: [],
        recentBackups: [],
        claimsUnlistedIn: ['prod'],
      });
      expect(results.map(r => r.state)).toEqual(Array(6).fill('unknown'));
      for (const result of results) {
        expect(result.message).toBe(
          "The persistent volume claims have not been collected yet from cluster prod, so the entity's claims there are not known.",
        );
      }
    });

    it.each([
      [
        'a pass',
        {},
        'backup.rpo',
        'unknown',
        /^The persistent volume claims have not been collected yet from cluster dr, .* Of those listed: The data of every claim/,
      ],
      // A failure found among the listed claims still stands.
      [
        'a failure',
        { claims: [good('a', { lastGood: undefined })] },
        'backup.rpo',
        'fail',
        /it has no good backup at all/,
      ],
      [
        'a warning',
        {
          storageLocations: [
            location('default', { accessMode: 'ReadOnly' as const }),
          ],
        },
        'backup.storage-location',
        'warn',
        /read-only location/,
      ],
    ])(
      'turns %s among the listed claims into %s',
      (_, overrides, id, state, message) => {
        const result = check(
          run({ ...overrides, claimsUnlistedIn: ['dr'] }),
          id,
        );
        expect(result.state).toBe(state);
        expect(result.message).toMatch(message);
      },
    );

    it('changes nothing once every cluster was listed', () => {
      expect(run({ claimsUnlistedIn: [] })).toEqual(run());
    });
  });
});
