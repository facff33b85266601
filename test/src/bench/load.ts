import autocannon from 'autocannon';
import { RunResult } from './stats';

/** The load generators running now, to stop them when the bench is interrupted. */
const running = new Set<autocannon.Instance>();

/**
 * Loads one URL for a while with autocannon, with a fixed number of connections. No request
 * times out within a run: a slow route's latencies are measured, not cut off at autocannon's
 * default of 10 s and counted as errors; a request still unanswered when the run ends is not
 * counted.
 */
export async function load(options: {
  url: string;
  token: string;
  connections: number;
  seconds: number;
  /** POST with this JSON body; GET when absent. */
  body?: unknown;
}): Promise<RunResult> {
  let instance: autocannon.Instance | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        timeout: Math.max(60, 2 * options.seconds),
        headers: {
          authorization: `Bearer ${options.token}`,
          accept: 'application/json',
          ...(options.body === undefined
            ? {}
            : { 'content-type': 'application/json' }),
        },
        ...(options.body === undefined
          ? {}
          : { method: 'POST', body: JSON.stringify(options.body) }),
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    running.add(instance);
  }).finally(() => running.delete(instance!));
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    ok: result['2xx'],
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/**
 * Stops every load generator at once: a backend still under load would take its time to shut
 * down.
 */
export function stopLoad(): void {
  for (const instance of running) instance.stop();
}
