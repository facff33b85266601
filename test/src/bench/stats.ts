/** What one run of the load generator against one route measured. */
export interface RunResult {
  /** Mean of the per-second request counts. */
  requestsPerSecond: number;
  /** Latency percentiles, in milliseconds. */
  p50: number;
  p99: number;
  /** Responses with a 2xx status. */
  ok: number;
  /** Responses with any other status. */
  non2xx: number;
  /** Connection errors and timeouts: requests without a response. */
  errors: number;
}

/** The median of the runs of one measurement, and what went wrong in any of them. */
export interface Summary {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
}

/** The median: the middle value, or the mean of the two middle ones. */
export function median(values: number[]): number {
  if (values.length === 0) {
    throw new Error('no values to take the median of');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Each figure's median over the runs; the counts of responses and errors summed. */
export function summarise(runs: RunResult[]): Summary {
  const sum = (pick: (r: RunResult) => number) =>
    runs.reduce((total, r) => total + pick(r), 0);
  return {
    requestsPerSecond: median(runs.map(r => r.requestsPerSecond)),
    p50: median(runs.map(r => r.p50)),
    p99: median(runs.map(r => r.p99)),
    ok: sum(r => r.ok),
    non2xx: sum(r => r.non2xx),
    errors: sum(r => r.errors),
  };
}

/** A figure against the baseline's, or undefined when the baseline is zero. */
export function ratio(value: number, baseline: number): number | undefined {
  return baseline === 0 ? undefined : value / baseline;
}
