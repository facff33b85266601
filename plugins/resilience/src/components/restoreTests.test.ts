import { RestoreTestCandidate } from '@resilience-for-backstage/plugin-resilience-common';
import {
  candidateClusters,
  candidatesOf,
  elapsedSeconds,
  expectedDurationText,
  isCancellable,
  markOf,
  preselectedBackup,
  preselectedCluster,
  rtoText,
  startedByText,
} from './restoreTests';

const candidate = (
  cluster: string,
  backupName: string,
  startedAt: string,
  mark?: RestoreTestCandidate['mark'],
): RestoreTestCandidate => ({ cluster, backupName, startedAt, mark });

const candidates = [
  candidate('prod', 'b-23', '2026-11-23T02:00:00Z', 'known-good'),
  candidate('staging', 'b-25s', '2026-11-25T03:00:00Z', 'known-good'),
  candidate('prod', 'b-25', '2026-11-25T02:00:00Z', 'vulnerable'),
  candidate('prod', 'b-24', '2026-11-24T02:00:00Z'),
];

describe('restore-test helpers', () => {
  it('lists the candidates of a cluster newest first', () => {
    expect(
      candidatesOf({ candidates, cluster: 'prod' }).map(c => c.backupName),
    ).toEqual(['b-25', 'b-24', 'b-23']);
  });

  it('lists the clusters by their newest backup, marking those where tests are disabled', () => {
    expect(
      candidateClusters({ candidates, disabledClusters: ['staging'] }),
    ).toEqual([
      { cluster: 'staging', disabled: true },
      { cluster: 'prod', disabled: false },
    ]);
  });

  it.each([
    [
      'the default backup',
      { cluster: 'prod', backupName: 'b-24' },
      'prod',
      'b-24',
    ],
    [
      'the newest known-good backup of another cluster',
      { cluster: 'staging', backupName: 'b-25s' },
      'prod',
      'b-23',
    ],
    [
      'the newest known-good backup without a default',
      undefined,
      'prod',
      'b-23',
    ],
    ['nothing in a cluster without backups', undefined, 'dev', undefined],
  ])('preselects %s', (_, byDefault, cluster, expected) => {
    const defaultBackup = byDefault && { ...byDefault, reason: 'why' };
    expect(
      preselectedBackup({ data: { candidates, defaultBackup }, cluster })
        ?.backupName,
    ).toBe(expected);
  });

  it("starts in the default backup's cluster, else in the first enabled one", () => {
    const defaultBackup = { cluster: 'prod', backupName: 'b-23', reason: '' };
    expect(
      preselectedCluster({ candidates, defaultBackup, disabledClusters: [] }),
    ).toBe('prod');
    expect(
      preselectedCluster({ candidates, disabledClusters: ['staging'] }),
    ).toBe('prod');
    expect(preselectedCluster({ candidates: [], disabledClusters: [] })).toBe(
      undefined,
    );
  });

  it.each([
    ['b-23', 'known-good'],
    ['b-24', 'unknown'],
    ['gone', undefined],
  ])('marks backup %s %s', (backupName, mark) => {
    expect(markOf({ candidates, cluster: 'prod', backupName })).toBe(mark);
  });

  it.each([
    [130, 3600, '2 min 10 s, within the 1 h target', false],
    [3700, 3600, '1 h 1 min, over the 1 h target', true],
    [3600, 3600, '1 h, within the 1 h target', false],
    [130, undefined, '2 min 10 s, no target set', false],
  ])('states an RTO of %s s against %s', (rto, target, text, overTarget) => {
    expect(
      rtoText({ rtoSeconds: rto, rtoTargetSeconds: target }),
    ).toMatchObject({ text, overTarget });
  });

  it.each([
    [190, 'Earlier tests took about 3 min.'],
    [20, 'Earlier tests took about 20 s.'],
    [
      undefined,
      'No earlier test succeeded, so how long one takes is not known yet.',
    ],
  ])('says that earlier tests took %s s', (seconds, text) => {
    expect(expectedDurationText(seconds)).toBe(text);
  });

  it('counts the time a test took, or has taken so far, never below zero', () => {
    const createdAt = '2026-11-25T12:00:00Z';
    expect(
      elapsedSeconds({
        test: { createdAt, finishedAt: '2026-11-25T12:03:10Z' },
        now: '2026-11-25T13:00:00Z',
      }),
    ).toBe(190);
    expect(
      elapsedSeconds({ test: { createdAt }, now: '2026-11-25T12:00:42Z' }),
    ).toBe(42);
    // The browser's clock may be behind the backend's.
    expect(
      elapsedSeconds({ test: { createdAt }, now: '2026-11-25T11:59:58Z' }),
    ).toBe(0);
  });

  it('names who started a test', () => {
    expect(startedByText('user:default/alice')).toBe('alice');
    expect(startedByText('')).toBe('');
  });

  it('lets a test be cancelled until its clean-up', () => {
    const test = (state: 'verifying' | 'cleaning-up' | 'succeeded') =>
      isCancellable({ state } as never);
    expect(test('verifying')).toBe(true);
    expect(test('cleaning-up')).toBe(false);
    expect(test('succeeded')).toBe(false);
  });
});
