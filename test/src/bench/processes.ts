import { ChildProcess, spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';

/** A child process of the bench, leading a process group of its own. */
export interface Child {
  name: string;
  process: ChildProcess;
  pid: number;
  /** Where its standard output and error go. */
  logFile: string;
  /** Resolves with its exit code (or signal) once it has exited. */
  exited: Promise<number | string>;
}

/** Whether any process of the group is still there. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The last lines of a log, to show why a child failed. */
export function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-lines)
      .join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * The bench's child processes. Each is started detached, so it leads its own process group:
 * stopping it stops what it started too (yarn's node, the backend's workers), and a Ctrl-C in
 * the terminal reaches the bench alone, which then stops them in order.
 */
export class Children {
  private readonly running = new Set<Child>();

  private constructor() {}

  static create(): Children {
    return new Children();
  }

  /** Starts a command with its output written to `logFile`. */
  start(options: {
    name: string;
    command: string;
    args: string[];
    cwd: string;
    logFile: string;
    env?: Record<string, string | undefined>;
  }): Child {
    const fd = openSync(options.logFile, 'a');
    const child = spawn(options.command, options.args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', fd, fd],
      detached: true,
    });
    closeSync(fd);
    const exited = new Promise<number | string>(resolve => {
      child.once('exit', (code, signal) => resolve(code ?? signal ?? 'exit'));
      child.once('error', error => resolve(error.message));
    });
    if (child.pid === undefined) {
      throw new Error(`could not start ${options.name} (${options.command})`);
    }
    const started: Child = {
      name: options.name,
      process: child,
      pid: child.pid,
      logFile: options.logFile,
      exited,
    };
    this.running.add(started);
    exited.then(() => this.running.delete(started));
    return started;
  }

  /** Runs a command to its end; throws, with the end of its log, unless it exits with 0. */
  async run(options: Parameters<Children['start']>[0]): Promise<void> {
    const child = this.start(options);
    const code = await child.exited;
    if (code !== 0) {
      throw new Error(
        `${options.name} failed (${code}):\n${tailOf(options.logFile)}`,
      );
    }
  }

  /**
   * Stops a child's process group: SIGTERM, then SIGKILL for what is left after `graceMs`.
   * Waits until no process of the group is left.
   */
  async stop(child: Child, graceMs = 15_000): Promise<void> {
    const signal = (name: NodeJS.Signals) => {
      try {
        process.kill(-child.pid, name);
      } catch {
        // Already gone.
      }
    };
    signal('SIGTERM');
    const deadline = Date.now() + graceMs;
    while (groupAlive(child.pid) && Date.now() < deadline) {
      await sleep(100);
    }
    if (groupAlive(child.pid)) {
      signal('SIGKILL');
      while (groupAlive(child.pid)) await sleep(100);
    }
    await child.exited;
  }

  /** Stops every child still running, the last started first. */
  async stopAll(): Promise<void> {
    for (const child of [...this.running].reverse()) {
      await this.stop(child);
    }
  }
}
