/**
 * The instants after `now` at which a verdict that depends on the clock changes: the checks
 * report every threshold they compare a time with, and a stored result is evaluated again at the
 * earliest one (see `EntityResults`). A check that compares nothing with the clock reports
 * nothing.
 */
export class FlipTimes {
  #next: number | undefined;

  constructor(readonly now: Date) {}

  /** A verdict changes at `at` (ms since the epoch); instants not after `now` are ignored. */
  at(at: number | Date | undefined): void {
    const ms = at instanceof Date ? at.getTime() : at;
    if (ms === undefined || !Number.isFinite(ms) || ms <= this.now.getTime()) {
      return;
    }
    if (this.#next === undefined || ms < this.#next) this.#next = ms;
  }

  /**
   * A verdict compares the age `now - from` with `limitMs`, strictly: it changes once the age
   * exceeds the limit, the first millisecond after `from + limitMs`.
   */
  whenAgeExceeds(from: number | Date | undefined, limitMs: number): void {
    const ms = from instanceof Date ? from.getTime() : from;
    if (ms !== undefined) this.at(ms + limitMs + 1);
  }

  /** The earliest instant reported, if any. */
  next(): Date | undefined {
    return this.#next === undefined ? undefined : new Date(this.#next);
  }
}
