import { listedCount, phaseInView, rpoSecondsOf } from './freshness';

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
});
