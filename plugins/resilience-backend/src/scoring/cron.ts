import { InputError } from '@backstage/errors';

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

/** Go's duration syntax, as in `@every 1h30m`. */
function parseGoDuration(text: string, expression: string): number {
  const units: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: MINUTE,
    h: 60 * MINUTE,
  };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== text) {
    throw invalid(
      expression,
      `has "${text}", which is not a duration like 6h or 1h30m`,
    );
  }
  return parts.reduce(
    (total, [, n, unit]) => total + Number(n) * units[unit],
    0,
  );
}

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
  let text = expression.trim().replace(/^(CRON_TZ|TZ)=\S+\s+/, '');
  if (text.startsWith('@every ')) {
    const interval = parseGoDuration(
      text.slice('@every '.length).trim(),
      expression,
    );
    if (interval <= 0) throw invalid(expression, 'has an interval of zero');
    return interval;
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

  const times = [...hour.values]
    .flatMap(h => [...minute.values].map(m => (h * 60 + m) * MINUTE))
    .sort((a, b) => a - b);
  let largest = 0;
  for (let i = 1; i < times.length; i++)
    largest = Math.max(largest, times[i] - times[i - 1]);

  // Nine years from a leap year hold every pattern of months, weekdays and leap days that a
  // practical expression can depend on (29 February returns within eight years).
  const first = Date.UTC(2024, 0, 1);
  let previousDay: number | undefined;
  for (let day = first; day < Date.UTC(2033, 0, 1); day += DAY) {
    const date = new Date(day);
    if (!month.values.has(date.getUTCMonth() + 1)) continue;
    const domMatch = dom.values.has(date.getUTCDate());
    const dowMatch = dow.values.has(date.getUTCDay());
    const matches =
      dom.star || dow.star ? domMatch && dowMatch : domMatch || dowMatch;
    if (!matches) continue;
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
