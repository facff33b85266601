import {
  evaluationsIn,
  listedCount,
  phaseInView,
  rpoSecondsOf,
  templateBackupOf,
} from './freshness';

describe('what the freshness bench reads', () => {
  it("takes the backup.rpo check's value from whichever pillar holds it", () => {
    expect(
      rpoSecondsOf({
        pillars: [
          { checks: [{ id: 'certificate.expiry', state: 'pass', value: 9 }] },
          {
            checks: [
              { id: 'backup.schedule', state: 'pass' },
              { id: 'backup.rpo', state: 'pass', value: 42 },
            ],
          },
        ],
      }),
    ).toBe(42);
    expect(rpoSecondsOf({ pillars: [{ checks: [] }] })).toBeUndefined();
    expect(rpoSecondsOf({})).toBeUndefined();
  });

  it("copies the backup the claims' recovery point comes from, not a newer one of the objects alone", () => {
    const daily = { name: 'daily-9', namespace: 'velero', phase: 'Completed' };
    const hourly = {
      name: 'hourly-99',
      namespace: 'velero',
      phase: 'Completed',
    };
    expect(
      templateBackupOf({
        backups: [hourly, daily],
        pvcs: [{ lastGoodBackup: null }, { lastGoodBackup: daily }],
      }),
    ).toEqual(daily);
    // No claim has one: the newest completed backup.
    expect(
      templateBackupOf({
        backups: [{ ...hourly, phase: 'Failed' }, daily],
        pvcs: [],
      }),
    ).toEqual(daily);
    expect(templateBackupOf({ backups: [] })).toBeUndefined();
  });

  it('finds the phase of a backup by name in the view, and nothing for another', () => {
    const view = {
      backups: [
        { name: 'daily-2', namespace: 'velero', phase: 'InProgress' },
        { name: 'daily-1', namespace: 'velero', phase: 'Completed' },
      ],
    };
    expect(phaseInView(view, 'daily-2')).toBe('InProgress');
    expect(phaseInView(view, 'daily-3')).toBeUndefined();
    expect(phaseInView({}, 'daily-1')).toBeUndefined();
  });

  it('sums what the latest listings of a source had, over the clusters', () => {
    const view = {
      collection: [
        { source: 'volume-snapshot-contents', itemCount: 10 },
        { source: 'velero-backups', itemCount: 99 },
        { source: 'volume-snapshot-contents', itemCount: 5 },
        { source: 'volume-snapshot-contents' },
      ],
    };
    expect(listedCount(view, 'volume-snapshot-contents')).toBe(15);
    expect(listedCount({}, 'velero-backups')).toBe(0);
  });

  it("sums the entities evaluated over the scorings the backend's log reports, in either log format", () => {
    const log = [
      '{"level":"info","message":"Scored 500 entities (2 evaluated, the others unchanged)","plugin":"resilience"}',
      '{"level":"info","message":"Collected 12 pods from cluster bench"}',
      '2026-12-04T12:00:00.000Z resilience info Scored 498 entities (1 evaluated, the others unchanged), 2 not stored until their clusters are first collected',
    ].join('\n');
    expect(evaluationsIn(log)).toEqual({
      scorings: 2,
      evaluated: 3,
      scored: 500,
    });
    expect(evaluationsIn('no scoring here')).toEqual({
      scorings: 0,
      evaluated: 0,
      scored: 0,
    });
  });
});
