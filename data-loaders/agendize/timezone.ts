/**
 * Local wall-clock time + IANA zone -> UTC instant, with the zone rules of the
 * runtime's ICU data (Intl.DateTimeFormat), so no time-zone dependency is needed.
 *
 * Agendize sends `start.dateTime` / `sent.dateTime` without an offset and the zone
 * in a sibling `timeZone` field. Twice a year a wall-clock time is not a single
 * instant, and the rule applied is the one of JS Temporal's `disambiguation:
 * "compatible"` (the same as `java.time` and RFC 5545 practice):
 *
 * - Nonexistent time (spring forward gap, e.g. 02:30 in Paris on 2024-03-31):
 *   read it with the offset in force *before* the transition, which moves it
 *   forward by the gap length (02:30 -> 03:30 CEST = 01:30Z).
 * - Ambiguous time (fall back overlap, e.g. 02:30 in Paris on 2024-10-27):
 *   the earlier of the two instants (02:30 CEST = 00:30Z).
 */

const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?$/;
const MS_PER_DAY = 86_400_000;

export class InvalidTimeZoneError extends Error {
  constructor(readonly timeZone: string) {
    super(`Unknown or invalid IANA time zone: "${timeZone}"`);
    this.name = "InvalidTimeZoneError";
  }
}

export class InvalidLocalDateTimeError extends Error {
  constructor(readonly value: string) {
    super(`Not a local date-time of the form YYYY-MM-DDTHH:mm[:ss[.fff]] without offset: "${value}"`);
    this.name = "InvalidLocalDateTimeError";
  }
}

const formatterCache = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  const cached = formatterCache.get(timeZone);
  if (cached) return cached;
  let formatter: Intl.DateTimeFormat;
  try {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23", // "h23" avoids the "24:00" some engines print with hour12: false
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      era: "short", // makes years before 1 AD unambiguous; irrelevant in practice but cheap
    });
  } catch {
    throw new InvalidTimeZoneError(timeZone);
  }
  formatterCache.set(timeZone, formatter);
  return formatter;
}

/** Wall-clock time in `timeZone` at `epochMs`, expressed as "epoch ms if that wall time were UTC". */
function wallClockAsUtcMs(epochMs: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  let bc = false;
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type === "era") bc = part.value.startsWith("B");
    else if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const year = bc ? 1 - (fields.year ?? 0) : (fields.year ?? 0);
  const utc = new Date(0);
  utc.setUTCFullYear(year, (fields.month ?? 1) - 1, fields.day ?? 1);
  utc.setUTCHours(fields.hour ?? 0, fields.minute ?? 0, fields.second ?? 0, 0);
  // formatToParts has second resolution: carry the instant's milliseconds over.
  return utc.getTime() + (((epochMs % 1000) + 1000) % 1000);
}

/** UTC offset of `timeZone` at `epochMs`, in milliseconds (east positive). */
export function zoneOffsetMs(epochMs: number, timeZone: string): number {
  return wallClockAsUtcMs(epochMs, timeZone) - epochMs;
}

/** Throws InvalidTimeZoneError unless the runtime knows the zone. */
export function assertValidTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

function parseLocalDateTime(value: string): number {
  const match = LOCAL_DATE_TIME.exec(value);
  if (!match) throw new InvalidLocalDateTimeError(value);
  const [, y, mo, d, h, mi, s, frac] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s ?? "0");
  const millisecond = Number((frac ?? "0").padEnd(3, "0").slice(0, 3));
  const ms = Date.UTC(year, month - 1, day, hour, minute, second, millisecond);
  const check = new Date(ms);
  // Date.UTC silently rolls 2024-02-30 over to March; reject instead of guessing.
  if (
    check.getUTCFullYear() !== year ||
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    check.getUTCHours() !== hour ||
    check.getUTCMinutes() !== minute ||
    check.getUTCSeconds() !== second
  ) {
    throw new InvalidLocalDateTimeError(value);
  }
  return ms;
}

/**
 * Converts a local wall-clock `YYYY-MM-DDTHH:mm[:ss[.fff]]` in the IANA `timeZone`
 * to the UTC instant, disambiguating as documented at the top of this module.
 */
export function localDateTimeToUtc(localDateTime: string, timeZone: string): Date {
  assertValidTimeZone(timeZone);
  const wallMs = parseLocalDateTime(localDateTime);
  // Offsets a day either side bracket any single transition near this wall time;
  // every real candidate instant uses one of them (or the one at the wall time itself).
  const offsetBefore = zoneOffsetMs(wallMs - MS_PER_DAY, timeZone);
  const offsetAfter = zoneOffsetMs(wallMs + MS_PER_DAY, timeZone);
  const offsetNear = zoneOffsetMs(wallMs, timeZone);
  const candidates = [...new Set([offsetBefore, offsetNear, offsetAfter])]
    .map((offset) => wallMs - offset)
    .filter((instant) => wallClockAsUtcMs(instant, timeZone) === wallMs)
    .sort((a, b) => a - b);
  const earliest = candidates[0];
  if (earliest !== undefined) return new Date(earliest); // exact, or the earlier of an overlap
  // A gap: use the offset in force before the transition, which lands after the gap.
  return new Date(wallMs - offsetBefore);
}

/** Same as localDateTimeToUtc, formatted as ISO 8601 with `Z`. */
export function localDateTimeToUtcIso(localDateTime: string, timeZone: string): string {
  return localDateTimeToUtc(localDateTime, timeZone).toISOString();
}
