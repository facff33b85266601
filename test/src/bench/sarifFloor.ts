/*
 * node sarifFloor.ts --file FILE
 *
 * The floor of a SARIF upload: reads the log's bytes and parses them with JSON.parse, nothing
 * else, and prints what it took as one line of JSON. Runs in a process of its own, so that its
 * peak resident set is its own.
 */
import { readFileSync } from 'node:fs';
import { SarifFloorResult } from './sarif';

const i = process.argv.indexOf('--file');
const file = i >= 0 ? process.argv[i + 1] : undefined;
if (!file) throw new Error('--file is required');

const kib = (field: string) => {
  const status = readFileSync('/proc/self/status', 'utf8');
  const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
  return match ? Number(match[1]) * 1024 : NaN;
};

const rssBeforeBytes = kib('VmRSS');
const started = process.hrtime.bigint();
const log = JSON.parse(readFileSync(file, 'utf8')) as {
  runs: Array<{ results: unknown[] }>;
};
const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
const result: SarifFloorResult = {
  elapsedMs,
  results: log.runs.reduce((n, run) => n + run.results.length, 0),
  rssBeforeBytes,
  peakRssBytes: kib('VmHWM'),
};
console.log(JSON.stringify(result));
