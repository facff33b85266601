import { ConfigReader } from '@backstage/config';
import { readRestoreTestConfig } from './config';

const read = (restoreTests?: object) =>
  readRestoreTestConfig(
    new ConfigReader({ resilience: restoreTests ? { restoreTests } : {} }),
    ['prod', 'staging'],
  );

describe('readRestoreTestConfig', () => {
  it('has a default for every key', () => {
    expect(read()).toEqual({
      namespacePrefix: 'restore-test-',
      timeoutMs: 30 * 60_000,
      followIntervalMs: 5_000,
      leaseMs: 60_000,
      concurrency: 1,
      minIntervalMs: 10 * 60_000,
      disabledClusters: [],
    });
  });

  it('reads every key', () => {
    expect(
      read({
        namespacePrefix: 'rt-',
        timeout: { minutes: 10 },
        followInterval: 'PT2S',
        lease: { seconds: 30 },
        concurrency: 3,
        minInterval: { hours: 1 },
        disabledClusters: ['prod'],
      }),
    ).toEqual({
      namespacePrefix: 'rt-',
      timeoutMs: 10 * 60_000,
      followIntervalMs: 2_000,
      leaseMs: 30_000,
      concurrency: 3,
      minIntervalMs: 60 * 60_000,
      disabledClusters: ['prod'],
    });
  });

  it.each<[object, RegExp]>([
    [
      { namespacePrefix: 'Restore_' },
      /^resilience\.restoreTests\.namespacePrefix: "Restore_" is not the start/,
    ],
    [{ concurrency: 0 }, /concurrency must be a whole number from 1 to 20/],
    [{ concurrency: 1.5 }, /concurrency must be a whole number/],
    [
      { timeout: 'soon' },
      /resilience\.restoreTests\.timeout is not a duration/,
    ],
    [{ minInterval: 'PT0S' }, /minInterval must be a positive duration/],
    [
      { disabledClusters: ['prod', 'qa'] },
      /disabledClusters names "qa", which is not a configured cluster; the clusters are prod, staging/,
    ],
  ])('refuses %j, naming the key', (restoreTests, message) => {
    expect(() => read(restoreTests)).toThrow(message);
  });
});
