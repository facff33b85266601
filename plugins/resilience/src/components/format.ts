/** A short, human age: `45 s`, `12 min`, `5 h`, `3 d`. */
export function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min`;
  if (seconds < 2 * 86400) return `${Math.floor(seconds / 3600)} h`;
  return `${Math.floor(seconds / 86400)} d`;
}

function twoUnits(
  big: number,
  bigUnit: string,
  small: number,
  smallUnit: string,
): string {
  return small === 0
    ? `${big} ${bigUnit}`
    : `${big} ${bigUnit} ${small} ${smallUnit}`;
}

/**
 * A duration in at most two units, rounded down: `45 s`, `1 min 30 s`, `26 h`, `24 h 30 min`,
 * `30 d`, `2 d 12 h`. Unlike {@link formatAge} it keeps the second unit, so that an age just over
 * a threshold never reads as equal to it (`24 h 30 min of 24 h`, not `24 h of 24 h`). Hours are
 * used up to two days, since RPOs are stated in hours.
 */
export function formatDuration(seconds: number): string {
  const s = Math.floor(Math.abs(seconds));
  const sign = seconds < 0 ? '-' : '';
  if (s < 60) return `${sign}${s} s`;
  if (s < 3600) {
    return sign + twoUnits(Math.floor(s / 60), 'min', s % 60, 's');
  }
  if (s < 2 * 86400) {
    return (
      sign +
      twoUnits(Math.floor(s / 3600), 'h', Math.floor((s % 3600) / 60), 'min')
    );
  }
  return (
    sign +
    twoUnits(Math.floor(s / 86400), 'd', Math.floor((s % 86400) / 3600), 'h')
  );
}

/** A timestamp as `2026-11-24 02:03 UTC`: unambiguous for teams in several time zones. */
export function formatTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** Seconds from one ISO 8601 time to another (negative when `to` is earlier). */
export function secondsBetween(from: string, to: string): number {
  return Math.round((Date.parse(to) - Date.parse(from)) / 1000);
}
