import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, release, totalmem, type } from 'node:os';

/** What the figures were measured on; no host name, user or path. */
export interface Machine {
  cpuModel: string;
  cpuCount: number;
  memoryBytes: number;
  os: string;
  node: string;
  /** The server's version, when the bench ran on PostgreSQL. */
  postgres?: string;
}

/** The distribution's name from os-release, if the system has one. */
function distribution(): string | undefined {
  try {
    const text = readFileSync('/etc/os-release', 'utf8');
    const match = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(text);
    return match?.[1];
  } catch {
    return undefined;
  }
}

/** The machine the bench runs on, read now. */
export function describeMachine(): Omit<Machine, 'postgres'> {
  const all = cpus();
  const name = distribution();
  return {
    cpuModel: all[0]?.model.trim() || 'unknown',
    cpuCount: all.length,
    memoryBytes: totalmem(),
    os: `${name ? `${name}, ` : ''}${type()} ${release()}`,
    node: process.version,
  };
}

/** The peak and current resident set size of a process, in bytes, from /proc. */
export function memoryOf(
  pid: number,
): { peakBytes: number; currentBytes: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kib = (field: string) => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status);
      return match ? Number(match[1]) * 1024 : NaN;
    };
    return { peakBytes: kib('VmHWM'), currentBytes: kib('VmRSS') };
  } catch {
    // Not Linux, or the process is gone.
    return undefined;
  }
}

/**
 * The CPU time a process has used, user and system, in clock ticks (`utime` and `stime` of
 * `/proc/<pid>/stat`); undefined when it cannot be read.
 */
export function cpuTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The fields after the command, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * The commit of the code measured, and whether the work tree had changes on top of it; undefined
 * outside a git work tree.
 */
export function describeCode(
  root: string,
): { commit: string; changed: boolean } | undefined {
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    return {
      commit: git('rev-parse', '--short=12', 'HEAD'),
      changed: git('status', '--porcelain', '--untracked-files=no') !== '',
    };
  } catch {
    return undefined;
  }
}
