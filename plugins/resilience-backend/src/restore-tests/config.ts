import { Config } from '@backstage/config';
import { readDuration } from '../scoring/policy';
import { DEFAULT_NAMESPACE_PREFIX, namespacePrefixProblem } from './manifests';

/** `resilience.restoreTests`, read once at start-up. */
export interface RestoreTestConfig {
  namespacePrefix: string;
  /** How long the restore and its verification may take together. */
  timeoutMs: number;
  /** How often in-flight tests are advanced. */
  followIntervalMs: number;
  /** How long a replica holds a test between steps; another takes it over after that. */
  leaseMs: number;
  /** How many tests of one cluster run at once; more wait. */
  concurrency: number;
  /** How soon after one of its tests another may start for the same entity. */
  minIntervalMs: number;
  /** Clusters where restore tests may not run. */
  disabledClusters: string[];
}

const PATH = 'resilience.restoreTests';

/**
 * Reads `resilience.restoreTests`; every key is optional.
 *
 * @throws Error naming the key that is wrong.
 */
export function readRestoreTestConfig(
  config: Config,
  clusterNames: string[],
): RestoreTestConfig {
  const section = config.getOptionalConfig(PATH);
  const duration = (key: string, fallback: number) =>
    section ? readDuration(section, key, PATH, fallback) : fallback;
  const namespacePrefix =
    section?.getOptionalString('namespacePrefix') ?? DEFAULT_NAMESPACE_PREFIX;
  const problem = namespacePrefixProblem(namespacePrefix);
  if (problem) {
    throw new Error(`${PATH}.namespacePrefix: ${problem}`);
  }
  const concurrency = section?.getOptionalNumber('concurrency') ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 20) {
    throw new Error(
      `${PATH}.concurrency must be a whole number from 1 to 20 (tests of one cluster at once), not ${concurrency}`,
    );
  }
  const disabledClusters =
    section?.getOptionalStringArray('disabledClusters') ?? [];
  const unknown = disabledClusters.filter(c => !clusterNames.includes(c));
  if (unknown.length > 0) {
    throw new Error(
      `${PATH}.disabledClusters names ${unknown
        .map(c => `"${c}"`)
        .join(', ')}, which ${
        unknown.length === 1
          ? 'is not a configured cluster'
          : 'are not configured clusters'
      }; the clusters are ${clusterNames.join(', ') || 'none'}`,
    );
  }
  return {
    namespacePrefix,
    timeoutMs: duration('timeout', 30 * 60_000),
    followIntervalMs: duration('followInterval', 5_000),
    leaseMs: duration('lease', 60_000),
    concurrency,
    minIntervalMs: duration('minInterval', 10 * 60_000),
    disabledClusters,
  };
}
