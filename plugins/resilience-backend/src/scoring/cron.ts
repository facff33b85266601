import { InputError } from '@backstage/errors';
import { parseGoDuration } from './durations';

const MINUTE = 60_000;
const DAY = 1440 * MINUTE;

interface Field {
  values: Set<number>;
  /** `*` or `?` (with no step above 1): robfig/cron then ANDs day-of-month and day-of-week. */
  star: boolean;
}

const BOUNDS = {
  minute: [0, 59],
  hour: [0, 23],
  dom: [1, 31],
  month: [1, 12],
  dow: [0, 6],
} as const;

const NAMES: Partial<Record<keyof typeof BOUNDS, string[]>> = {
  month: [
    'jan',
    'feb',
    'mar',
    'apr',
    'may',
    'jun',
    'jul',
    'aug',
    'sep',
    'oct',
    'nov',
    'dec',
  ],
  dow: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'],
};

const DESCRIPTORS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

function invalid(expression: string, why: string): InputError {
  return new InputError(`The cron expression "${expression}" ${why}`);
}

function parseValue(
  text: string,
  field: keyof typeof BOUNDS,
  expression: string,
): number {
  const names = NAMES[field];
  const named = names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return field === 'month' ? named + 1 : named;
  if (!/^\d+$/.test(text))
    throw invalid(expression, `has "${text}" where a ${field} belongs`);
  const value = Number(text);
  const [min, max] = BOUNDS[field];
  if (value < min || value > max) {
    throw invalid(expression, `has ${field} ${value}, outside ${min}-${max}`);
  }
  return value;
}

/** One field, with robfig/cron's rules: lists, ranges, steps, `*` and `?`, month and day names. */
function parseField(
  text: string,
  field: keyof typeof BOUNDS,
  expression: string,
): Field {
  const [min, max] = BOUNDS[field];
  const values = new Set<number>();
  let star = false;
  for (const part of text.split(',')) {
    const [range, stepText, ...rest] = part.split('/');
    if (rest.length > 0 || range === '')
      throw invalid(expression, `has a malformed ${field} "${part}"`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1)
      throw invalid(expression, `has a bad step in "${part}"`);
    let start: number;
    let end: number;
    if (range === '*' || range === '?') {
      [start, end] = [min, max];
      star = step === 1;
    } else {
      const [low, high, ...more] = range.split('-');
      if (more.length > 0)
        throw invalid(expression, `has a malformed range "${range}"`);
      start = parseValue(low, field, expression);
      if (high !== undefined) {
        end = parseValue(high, field, expression);
      } else {
        // `a/n` runs from a to the end of the range, as in robfig/cron.
        end = stepText !== undefined ? max : start;
      }
      if (end < start)
        throw invalid(
          expression,
          `has a range "${range}" that ends before it starts`,
        );
    }
    for (let v = start; v <= end; v += step) values.add(v);
  }
  return { values, star };
}

/** Distinct expressions whose largest interval is remembered: far more than a cluster has. */
const LARGEST_INTERVAL_CACHE_SIZE = 10_000;

const largestIntervals = new Map<
  string,
  { interval: number } | { error: unknown }
>();

/**
 * The longest time, in milliseconds, between two consecutive runs of a Velero Schedule's cron
 * expression: the worst case a recovery point can be old just before the next run, which is what
 * an RPO is about (a schedule `30 1 * * 1-5` is "daily" but leaves 72 hours over a weekend).
 *
 * Understands what Velero accepts (robfig/cron's standard parser): five fields with lists,
 * ranges, steps, `*`, `?` and names; `@daily`-style descriptors; `@every <duration>`; and a
 * leading `CRON_TZ=`/`TZ=` zone. Runs are computed on the wall clock of the schedule's zone, so
 * around a daylight-saving change a real gap can be an hour longer or shorter.
 *
 * @throws InputError saying what is wrong, or that the expression never runs.
 */
export function largestCronInterval(expression: string): number {
  // A pure function of the expression, and nine years of days to walk: computed once per
  // expression (and error) while the cache holds it.
  let known = largestIntervals.get(expression);
  if (!known) {
    try {
      known = { interval: computeLargestInterval(expression) };
    } catch (failure) {
      known = { error: failure };
    }
    if (largestIntervals.size >= LARGEST_INTERVAL_CACHE_SIZE) {
      largestIntervals.clear();
    }
    largestIntervals.set(expression, known);
  }
  if ('error' in known) throw known.error;
  return known.interval;
}

function computeLargestInterval(expression: string): number {
  const cron = parseCron(expression);
  if (cron.kind === 'every') return cron.intervalMs;
  const { times } = cron;
  let largest = 0;
  for (let i = 1; i < times.length; i++)
    largest = Math.max(largest, times[i] - times[i - 1]);

  // Nine years from a leap year hold every pattern of months, weekdays and leap days that a
  // practical expression can depend on (29 February returns within eight years).
  let previousDay: number | undefined;
  for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2033, 0, 1); day += DAY) {
    if (!dayMatches(cron, day)) continue;
    if (previousDay !== undefined) {
      largest = Math.max(
        largest,
        day - previousDay + times[0] - times[times.length - 1],
      );
    }
    previousDay = day;
  }
  if (previousDay === undefined) throw invalid(expression, 'never runs');
  return largest;
}

/**
 * The first run of a Velero Schedule's cron expression after `after`; for `@every`, one interval
 * after `after` (pass the schedule's last backup, as Velero counts from it). Times are those of
 * the expression's `CRON_TZ`/`TZ` zone, or UTC without one (Velero's container default).
 *
 * @throws InputError as {@link largestCronInterval} does.
 */
export function nextCronRun(expression: string, after: Date): Date {
  const cron = parseCron(expression);
  if (cron.kind === 'every') {
    return new Date(after.getTime() + cron.intervalMs);
  }
  const zone = cron.zone ?? 'UTC';
  // Wall-clock time in the zone, as if it were UTC; runs are searched on that clock.
  const offset = (utc: number) => zoneOffset(zone, utc, expression);
  const wallAfter = after.getTime() + offset(after.getTime());
  const firstDay = Math.floor(wallAfter / DAY) * DAY;
  for (let day = firstDay; day < firstDay + 9 * 366 * DAY; day += DAY) {
    if (!dayMatches(cron, day)) continue;
    for (const time of cron.times) {
      const wall = day + time;
      if (wall <= wallAfter) continue;
      // The offset at the run itself; a wall time skipped by a daylight-saving change runs
      // shifted, as robfig/cron does.
      const utc = wall - offset(wall - offset(wall));
      if (utc > after.getTime()) return new Date(utc);
    }
  }
  throw invalid(expression, 'never runs');
}

type ParsedCron =
  | { kind: 'every'; intervalMs: number }
  | {
      kind: 'cron';
      zone?: string;
      /** Minutes of the day that run, in milliseconds from midnight, ascending. */
      times: number[];
      dom: Field;
      month: Field;
      dow: Field;
    };

function parseCron(expression: string): ParsedCron {
  const zoneMatch = /^(?:CRON_TZ|TZ)=(\S+)\s+/.exec(expression.trim());
  let text = expression.trim().slice(zoneMatch?.[0].length ?? 0);
  if (text.startsWith('@every ')) {
    const duration = text.slice('@every '.length).trim();
    const interval = parseGoDuration(duration);
    if (interval === undefined) {
      throw invalid(
        expression,
        `has "${duration}", which is not a duration like 6h or 1h30m`,
      );
    }
    if (interval <= 0) throw invalid(expression, 'has an interval of zero');
    return { kind: 'every', intervalMs: interval };
  }
  if (text.startsWith('@')) {
    if (!DESCRIPTORS[text])
      throw invalid(
        expression,
        `uses "${text}", which is not a cron descriptor`,
      );
    text = DESCRIPTORS[text];
  }
  const fields = text.split(/\s+/);
  if (fields.length !== 5) {
    throw invalid(
      expression,
      `has ${fields.length} fields; a schedule has five: minute hour day-of-month month day-of-week`,
    );
  }
  const [minute, hour, dom, month, dow] = (
    ['minute', 'hour', 'dom', 'month', 'dow'] as const
  ).map((name, i) => parseField(fields[i], name, expression));
  const zone = zoneMatch?.[1];
  if (zone) zoneOffset(zone, Date.now(), expression);
  const times = [...hour.values]
    .flatMap(h => [...minute.values].map(m => (h * 60 + m) * MINUTE))
    .sort((a, b) => a - b);
  return { kind: 'cron', zone, times, dom, month, dow };
}

/** robfig/cron: day-of-month and day-of-week are ORed unless either is `*`. */
function dayMatches(
  cron: Extract<ParsedCron, { kind: 'cron' }>,
  day: number,
): boolean {
  const date = new Date(day);
  if (!cron.month.values.has(date.getUTCMonth() + 1)) return false;
  const domMatch = cron.dom.values.has(date.getUTCDate());
  const dowMatch = cron.dow.values.has(date.getUTCDay());
  return cron.dom.star || cron.dow.star
    ? domMatch && dowMatch
    : domMatch || dowMatch;
}

/** Milliseconds the zone's wall clock is ahead of UTC at `utc`. */
function zoneOffset(zone: string, utc: number, expression: string): number {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    }).formatToParts(new Date(utc));
  } catch {
    throw invalid(
      expression,
      `names the time zone "${zone}", which is unknown`,
    );
  }
  const get = (type: string) =>
    Number(parts.find(p => p.type === type)?.value ?? 0);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - Math.floor(utc / 1000) * 1000;
}
