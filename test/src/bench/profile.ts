/*
 * yarn bench:profile FILE [--top N]
 *
 * Reads a V8 CPU profile (`yarn bench --cpu-prof DIR` writes one per backend) and prints where
 * the time went: the functions with the most self time, and the self time by package (a
 * dependency under node_modules, a workspace of this repository, or Node's own code).
 */
import { readFileSync } from 'node:fs';

/** The parts of a `.cpuprofile` this reads. */
export interface CpuProfile {
  nodes: Array<{
    id: number;
    callFrame: {
      functionName: string;
      url: string;
      lineNumber: number;
    };
  }>;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  name: string;
  ms: number;
  share: number;
}

/** Where a script's code belongs: its package, a workspace, Node, or V8's own bookkeeping. */
export function packageOf(url: string): string {
  if (!url) return '(native or idle)';
  if (url.startsWith('node:')) return 'node';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const workspace = url.match(/\/(plugins|test)\/([^/]+)\//);
  if (workspace) return `${workspace[1]}/${workspace[2]}`;
  if (url.match(/\/test\/src\//)) return 'test';
  return url;
}

/** The repository-relative tail of a script's location, for a line of the report. */
function shortUrl(url: string): string {
  const modules = url.lastIndexOf('/node_modules/');
  if (modules >= 0) return url.slice(modules + 1);
  const match = url.match(/\/((?:plugins|test)\/.*)$/);
  return match ? match[1] : url;
}

/**
 * The self time of each function (by name and location) and of each package, largest first,
 * with its share of the profile's whole time.
 */
export function selfTimes(profile: CpuProfile): {
  totalMs: number;
  functions: SelfTime[];
  packages: SelfTime[];
} {
  const byId = new Map(profile.nodes.map(n => [n.id, n]));
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    // Each delta is the time since the sample before: it is this sample's.
    const us = profile.timeDeltas[i] ?? 0;
    const node = byId.get(id);
    if (!node) return;
    const { functionName, url, lineNumber } = node.callFrame;
    const name = `${functionName || '(anonymous)'} ${
      url ? `${shortUrl(url)}:${lineNumber + 1}` : ''
    }`.trim();
    functions.set(name, (functions.get(name) ?? 0) + us);
    const pkg = packageOf(url);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
    total += us;
  });
  const sorted = (map: Map<string, number>) =>
    [...map.entries()]
      .map(([name, us]) => ({
        name,
        ms: us / 1000,
        share: total === 0 ? 0 : us / total,
      }))
      .sort((a, b) => b.ms - a.ms || a.name.localeCompare(b.name));
  return {
    totalMs: total / 1000,
    functions: sorted(functions),
    packages: sorted(packages),
  };
}

function main(args: string[]): number {
  const file = args.find(a => !a.startsWith('--'));
  const topAt = args.indexOf('--top');
  const top = topAt >= 0 ? Number(args[topAt + 1]) : 30;
  if (!file || !Number.isInteger(top) || top < 1) {
    process.stderr.write('usage: yarn bench:profile FILE [--top N]\n');
    return 2;
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const { totalMs, functions, packages } = selfTimes(profile);
  const line = (t: SelfTime) =>
    `${t.ms.toFixed(0).padStart(9)} ms ${(100 * t.share)
      .toFixed(1)
      .padStart(5)} %  ${t.name}`;
  process.stdout.write(
    [
      `${(totalMs / 1000).toFixed(1)} s sampled`,
      '',
      'Self time by package:',
      ...packages.slice(0, top).map(line),
      '',
      'Self time by function:',
      ...functions.slice(0, top).map(line),
      '',
    ].join('\n'),
  );
  return 0;
}

if (require.main === module) {
  process.exitCode = main(process.argv.slice(2));
}
