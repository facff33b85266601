/** A task's state as a plugin's `GET /.backstage/scheduler/v1/tasks` gives it. */
export interface TaskState {
  status: 'running' | 'idle';
  startedAt?: string;
  lastRunEndedAt?: string;
  lastRunError?: unknown;
}

/** One run of a task, in the bench's clock (milliseconds since the epoch). */
export interface TaskRun {
  startedAt: number;
  endedAt: number;
  /** Whether a poll saw it running; if not, it started and ended between two polls. */
  startSeen: boolean;
  /** What the scheduler recorded when the run threw. */
  error?: string;
}

/**
 * Follows one scheduled task through polls of the scheduler's state, for the duration of its
 * next run. The scheduler's own timestamps are no help: on SQLite they are whole seconds, and a
 * run's start is only shown while it runs. So a run starts at the first poll that sees it
 * running (or, unseen, at the poll before the one that sees it ended) and ends at the first poll
 * that shows a last run's end other than the one before: each within one poll interval.
 */
export class TaskRunTracker {
  private startedAt?: number;
  private lastPollAt?: number;
  private run?: TaskRun;

  private constructor(private readonly endBefore: string | undefined) {}

  /** Tracks the run after the one that had ended in `initial`, if any. */
  static after(initial: TaskState | null | undefined): TaskRunTracker {
    return new TaskRunTracker(initial?.lastRunEndedAt);
  }

  /** Takes the task's state as one poll, answered at `at`, saw it. */
  observe(state: TaskState | null | undefined, at: number): void {
    if (this.run) return;
    if (state?.status === 'running') {
      this.startedAt ??= at;
    } else if (
      state?.lastRunEndedAt !== undefined &&
      state.lastRunEndedAt !== this.endBefore
    ) {
      const error = state.lastRunError;
      this.run = {
        startedAt: this.startedAt ?? this.lastPollAt ?? at,
        endedAt: at,
        startSeen: this.startedAt !== undefined,
        ...(error
          ? {
              error: typeof error === 'string' ? error : JSON.stringify(error),
            }
          : {}),
      };
    }
    this.lastPollAt = at;
  }

  /** The run, once a poll saw it end. */
  get finished(): TaskRun | undefined {
    return this.run;
  }
}
