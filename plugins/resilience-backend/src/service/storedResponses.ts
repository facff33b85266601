/** Answers kept at most; the least recently used go first beyond it. */
const DEFAULT_MAX_ENTRIES = 1_000;

/**
 * Answers of a route, serialised, kept per key for one version of their inputs: the
 * whole-catalog scorecards, whose inputs (scores, their summaries, the ownership map) carry one
 * version in the database that changes with any of them, on whichever replica wrote it. A
 * request reads the current version (one indexed row) and gets the kept answer of that version,
 * or computes it. Callers read the version before computing, so an answer computed from newer
 * inputs may be kept under an older version (and computed again), never the reverse. Concurrent
 * requests for one key and version share one computation; a failed one is not kept.
 */
export class StoredResponses {
  private readonly entries = new Map<
    string,
    { version: string; body: Promise<string> }
  >();

  constructor(private readonly options: { maxEntries?: number } = {}) {}

  /** The answer for `key` as of `version`: kept, or `compute`d, serialised and kept. */
  read(
    key: string,
    version: string | undefined,
    compute: () => Promise<unknown>,
  ): Promise<string> {
    const current = version ?? '';
    const kept = this.entries.get(key);
    if (kept && kept.version === current) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, kept);
      return kept.body;
    }
    const body = compute().then(value => JSON.stringify(value));
    const entry = { version: current, body };
    this.entries.set(key, entry);
    body.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    const max = this.options.maxEntries ?? DEFAULT_MAX_ENTRIES;
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= max) break;
      this.entries.delete(oldest);
    }
    return body;
  }
}
