/** Time helpers: day indexing, the vendors' timestamp formats, and IANA zone conversion. */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Days since the Unix epoch (UTC): the unit of on-demand generation. */
export function dayIndexOf(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}

export function dayStartMs(dayIndex: number): number {
  return dayIndex * DAY_MS;
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, "0");
}

/** `2026-11-20T10:00:00.000Z` */
export function isoUtc(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** ISO 8601 with a fixed numeric offset, e.g. `2018-07-05T11:53:38.000+01:00` (Upscope drift). */
export function isoWithOffset(epochMs: number, offsetMinutes: number): string {
  const shifted = new Date(epochMs + offsetMinutes * MINUTE_MS).toISOString().slice(0, -1);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const absolute = Math.abs(offsetMinutes);
  return `${shifted}${sign}${pad(Math.floor(absolute / 60))}:${pad(absolute % 60)}`;
}

/** LivePerson's non-ISO string twin: `2015-05-28 04:46:23.209+0000`. */
export function livePersonTime(epochMs: number): string {
  return `${new Date(epochMs).toISOString().replace("T", " ").slice(0, -1)}+0000`;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(epochMs: number, timeZone: string): WallClock {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) {
    if (part.type !== "literal") parts[part.type] = Number(part.value);
  }
  return {
    year: parts["year"] ?? 1970,
    month: parts["month"] ?? 1,
    day: parts["day"] ?? 1,
    hour: parts["hour"] ?? 0,
    minute: parts["minute"] ?? 0,
    second: parts["second"] ?? 0,
  };
}

/** Offset of a zone from UTC at an instant, in minutes (Paris in winter: 60). */
export function zoneOffsetMinutes(epochMs: number, timeZone: string): number {
  const wall = wallClock(epochMs, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  const wholeSecond = Math.floor(epochMs / 1000) * 1000;
  return Math.round((asUtc - wholeSecond) / MINUTE_MS);
}

/** Local wall-clock time without offset (`2026-10-25T02:30:00` or with `.250` when ms ≠ 0). */
export function localDateTime(epochMs: number, timeZone: string): string {
  const wall = wallClock(epochMs, timeZone);
  const millis = ((epochMs % 1000) + 1000) % 1000;
  const base = `${pad(wall.year, 4)}-${pad(wall.month)}-${pad(wall.day)}T${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
  return millis === 0 ? base : `${base}.${pad(millis, 3)}`;
}

/**
 * The instant inside [startMs, startMs + DAY_MS) at which the zone's offset changes
 * (a daylight-saving transition), to the minute, or null when the day has none.
 */
export function offsetChangeWithin(startMs: number, timeZone: string): number | null {
  let low = startMs;
  let high = startMs + DAY_MS;
  const before = zoneOffsetMinutes(low, timeZone);
  if (zoneOffsetMinutes(high, timeZone) === before) return null;
  while (high - low > MINUTE_MS) {
    const middle = Math.floor((low + high) / 2 / MINUTE_MS) * MINUTE_MS;
    if (middle <= low) break;
    if (zoneOffsetMinutes(middle, timeZone) === before) low = middle;
    else high = middle;
  }
  return high;
}

/** "01:10" (mm:ss) or "1:02:03" past an hour, as Upscope formats lengths. */
export function formatLength(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  return hours > 0 ? `${hours}:${pad(minutes)}:${pad(rest)}` : `${pad(minutes)}:${pad(rest)}`;
}
