const MS = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
} as const;

function sumUnits(
  text: string,
  units: ReadonlyArray<keyof typeof MS>,
): number | undefined {
  const pattern = new RegExp(
    `(\\d+(?:\\.\\d+)?)(${[...units]
      .sort((a, b) => b.length - a.length)
      .join('|')})`,
    'g',
  );
  const parts = [...text.matchAll(pattern)];
  if (parts.length === 0 || parts.map(p => p[0]).join('') !== text) {
    return undefined;
  }
  return parts.reduce(
    (total, [, n, unit]) => total + Number(n) * MS[unit as keyof typeof MS],
    0,
  );
}

/**
 * A Go duration as Velero writes them (`720h0m0s`, `1h30m`), in milliseconds; undefined when the
 * text is not one. Go's units stop at hours.
 */
export function parseGoDuration(text: string): number | undefined {
  return sumUnits(text.trim(), ['ns', 'us', 'µs', 'ms', 's', 'm', 'h']);
}

/**
 * A duration written in an annotation, in milliseconds: either compact (`4h`, `90m`, `1d12h`,
 * `2w`, a Go duration such as `720h0m0s`) or ISO 8601 with weeks, days, hours, minutes and seconds
 * (`P14D`, `PT4H`, `P1DT12H`). Months and years are refused: their length varies, and a policy
 * must mean one thing.
 *
 * @returns the milliseconds, or a sentence saying what is wrong with the text.
 */
export function parsePolicyDuration(
  text: string,
): { ms: number } | { error: string } {
  const value = text.trim();
  const iso =
    /^P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/i.exec(
      value,
    );
  let ms: number | undefined;
  if (iso && value.length > 1 && !/T$/i.test(value)) {
    const [, w, d, h, m, s] = iso.map(Number);
    ms =
      (w || 0) * MS.w +
      (d || 0) * MS.d +
      (h || 0) * MS.h +
      (m || 0) * MS.m +
      (s || 0) * MS.s;
  } else if (/^P/i.test(value)) {
    return {
      error: `"${text}" is not an ISO 8601 duration of weeks, days, hours, minutes and seconds (months and years are not accepted), for example P14D or PT4H`,
    };
  } else {
    ms = sumUnits(value, ['ms', 's', 'm', 'h', 'd', 'w']);
  }
  if (ms === undefined) {
    return {
      error: `"${text}" is not a duration; write it like 4h, 30m, 14d, 1d12h or ISO 8601 PT4H`,
    };
  }
  if (!(ms > 0)) {
    return { error: `"${text}" is not a positive duration` };
  }
  return { ms };
}

/** A duration in words for messages, to the two largest units: `26 h`, `3 d 4 h`, `45 min`. */
export function formatDuration(ms: number): string {
  if (ms < 59_500) return `${Math.round(ms / 1000)} s`;
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const restMinutes = minutes % 60;
  if (hours < 48) {
    return restMinutes ? `${hours} h ${restMinutes} min` : `${hours} h`;
  }
  const days = Math.floor(hours / 24);
  const restHours = hours % 24;
  return restHours ? `${days} d ${restHours} h` : `${days} d`;
}
