import { backupOrderTime, newestBackupFirst } from './backupOrder';

describe('backupOrderTime', () => {
  it.each([
    [
      'the start, when both are set',
      { startedAt: '2026-11-01T00:00:00Z', createdAt: '2026-12-01T00:00:00Z' },
      Date.parse('2026-11-01T00:00:00Z'),
    ],
    [
      'the creation of a backup that has not started',
      { createdAt: '2026-12-01T00:00:00Z' },
      Date.parse('2026-12-01T00:00:00Z'),
    ],
    [
      'dates as well as strings',
      { startedAt: new Date('2026-11-02T03:04:05Z') },
      Date.parse('2026-11-02T03:04:05Z'),
    ],
    [
      'the creation when the start cannot be read',
      { startedAt: 'not a time', createdAt: '2026-12-01T00:00:00Z' },
      Date.parse('2026-12-01T00:00:00Z'),
    ],
    ['nothing without either', {}, undefined],
  ])('is %s', (_, times, expected) => {
    expect(backupOrderTime({ name: 'b', ...times })).toBe(expected);
  });
});

describe('newestBackupFirst', () => {
  const synced = '2026-12-01T09:00:00Z';
  it.each([
    {
      what: 'backups synced at one time are ordered by their start, not their creation',
      backups: [
        {
          name: 'daily-20261128',
          startedAt: '2026-11-28T02:00:00Z',
          createdAt: synced,
        },
        {
          name: 'daily-20261130',
          startedAt: '2026-11-30T02:00:00Z',
          createdAt: synced,
        },
        {
          name: 'daily-20261129',
          startedAt: '2026-11-29T02:00:00Z',
          createdAt: synced,
        },
      ],
      expected: ['daily-20261130', 'daily-20261129', 'daily-20261128'],
    },
    {
      what: 'a start outranks a later creation',
      backups: [
        {
          name: 'new-object',
          startedAt: '2026-11-01T00:00:00Z',
          createdAt: '2026-12-01T00:00:00Z',
        },
        {
          name: 'newer-run',
          startedAt: '2026-11-20T00:00:00Z',
          createdAt: '2026-11-20T00:00:00Z',
        },
      ],
      expected: ['newer-run', 'new-object'],
    },
    {
      what: 'a backup that has not started is placed by its creation',
      backups: [
        { name: 'started', startedAt: '2026-11-20T00:00:00Z' },
        { name: 'queued', createdAt: '2026-11-21T00:00:00Z' },
        { name: 'old-queued', createdAt: '2026-11-19T00:00:00Z' },
      ],
      expected: ['queued', 'started', 'old-queued'],
    },
    {
      what: 'ties break by name, the later name first',
      backups: [
        { name: 'daily-20261130020000', startedAt: '2026-11-30T02:00:00Z' },
        { name: 'daily-20261130020001', startedAt: '2026-11-30T02:00:00Z' },
        { name: 'adhoc', startedAt: '2026-11-30T02:00:00Z' },
      ],
      expected: ['daily-20261130020001', 'daily-20261130020000', 'adhoc'],
    },
    {
      what: 'a backup with no time at all comes last',
      backups: [
        { name: 'undated' },
        { name: 'dated', startedAt: '2026-11-30T02:00:00Z' },
      ],
      expected: ['dated', 'undated'],
    },
  ])('$what', ({ backups, expected }) => {
    expect([...backups].sort(newestBackupFirst).map(b => b.name)).toEqual(
      expected,
    );
    expect(
      [...backups]
        .reverse()
        .sort(newestBackupFirst)
        .map(b => b.name),
    ).toEqual(expected);
  });
});
