import { describe, expect, it } from "vitest";
import {
  InvalidLocalDateTimeError,
  InvalidTimeZoneError,
  localDateTimeToUtcIso,
} from "../data-loaders/agendize/timezone.js";

const utc = (local: string, zone: string) => localDateTimeToUtcIso(local, zone);

describe("localDateTimeToUtc: ordinary days", () => {
  it.each([
    ["2024-01-15T12:00:00", "Europe/Paris", "2024-01-15T11:00:00.000Z"],
    ["2024-07-15T12:00:00", "Europe/Paris", "2024-07-15T10:00:00.000Z"],
    ["2024-01-15T12:00:00", "America/New_York", "2024-01-15T17:00:00.000Z"],
    ["2024-07-15T12:00:00", "America/New_York", "2024-07-15T16:00:00.000Z"],
    ["2024-01-15T12:00:00", "Australia/Sydney", "2024-01-15T01:00:00.000Z"],
    ["2024-07-15T12:00:00", "Australia/Sydney", "2024-07-15T02:00:00.000Z"],
    ["2024-03-10T09:15:30", "Asia/Kolkata", "2024-03-10T03:45:30.000Z"],
    ["2024-12-31T23:59:59", "UTC", "2024-12-31T23:59:59.000Z"],
    ["2024-02-29T00:00", "UTC", "2024-02-29T00:00:00.000Z"],
    ["2024-06-01T00:30:00.250", "Asia/Kolkata", "2024-05-31T19:00:00.250Z"],
  ])("%s in %s is %s", (local, zone, expected) => {
    expect(utc(local, zone)).toBe(expected);
  });
});

describe("localDateTimeToUtc: daylight-saving transitions", () => {
  // Each zone: times just before, inside and after the spring-forward gap and the fall-back overlap.
  it.each([
    // Europe/Paris: 2024-03-31 02:00 -> 03:00 (CET+1 -> CEST+2); 2024-10-27 03:00 -> 02:00.
    ["2024-03-31T01:59:59", "Europe/Paris", "2024-03-31T00:59:59.000Z"],
    ["2024-03-31T02:30:00", "Europe/Paris", "2024-03-31T01:30:00.000Z"], // gap: read as 03:30 CEST
    ["2024-03-31T03:00:00", "Europe/Paris", "2024-03-31T01:00:00.000Z"],
    ["2024-10-27T01:59:59", "Europe/Paris", "2024-10-26T23:59:59.000Z"],
    ["2024-10-27T02:30:00", "Europe/Paris", "2024-10-27T00:30:00.000Z"], // overlap: earlier (CEST)
    ["2024-10-27T03:00:00", "Europe/Paris", "2024-10-27T02:00:00.000Z"],
    // America/New_York: 2024-03-10 02:00 -> 03:00; 2024-11-03 02:00 -> 01:00.
    ["2024-03-10T01:59:59", "America/New_York", "2024-03-10T06:59:59.000Z"],
    ["2024-03-10T02:30:00", "America/New_York", "2024-03-10T07:30:00.000Z"], // gap: 03:30 EDT
    ["2024-03-10T03:00:00", "America/New_York", "2024-03-10T07:00:00.000Z"],
    ["2024-11-03T00:59:59", "America/New_York", "2024-11-03T04:59:59.000Z"],
    ["2024-11-03T01:30:00", "America/New_York", "2024-11-03T05:30:00.000Z"], // overlap: earlier (EDT)
    ["2024-11-03T02:00:00", "America/New_York", "2024-11-03T07:00:00.000Z"],
    // Australia/Sydney (southern hemisphere): 2024-04-07 03:00 -> 02:00; 2024-10-06 02:00 -> 03:00.
    ["2024-04-07T01:59:59", "Australia/Sydney", "2024-04-06T14:59:59.000Z"],
    ["2024-04-07T02:30:00", "Australia/Sydney", "2024-04-06T15:30:00.000Z"], // overlap: earlier (AEDT+11)
    ["2024-04-07T03:00:00", "Australia/Sydney", "2024-04-06T17:00:00.000Z"],
    ["2024-10-06T01:59:59", "Australia/Sydney", "2024-10-05T15:59:59.000Z"],
    ["2024-10-06T02:30:00", "Australia/Sydney", "2024-10-05T16:30:00.000Z"], // gap: 03:30 AEDT
    ["2024-10-06T03:00:00", "Australia/Sydney", "2024-10-05T16:00:00.000Z"],
  ])("%s in %s is %s", (local, zone, expected) => {
    expect(utc(local, zone)).toBe(expected);
  });

  it("Asia/Kolkata has no transitions: the 'DST days' of other zones convert at +05:30", () => {
    for (const local of ["2024-03-31T02:30:00", "2024-10-27T02:30:00", "2024-03-10T02:30:00", "2024-11-03T01:30:00"]) {
      const expected = new Date(Date.parse(`${local}Z`) - 5.5 * 3_600_000).toISOString();
      expect(utc(local, "Asia/Kolkata")).toBe(expected);
    }
  });

  it("UTC has neither gaps nor overlaps", () => {
    expect(utc("2024-03-31T02:30:00", "UTC")).toBe("2024-03-31T02:30:00.000Z");
    expect(utc("2024-10-27T02:30:00", "Etc/UTC")).toBe("2024-10-27T02:30:00.000Z");
  });

  it("every minute of a transition day maps to a wall time that reads back identically, except inside the gap", () => {
    const zone = "Europe/Paris";
    for (let minute = 0; minute < 24 * 60; minute += 15) {
      const hh = String(Math.floor(minute / 60)).padStart(2, "0");
      const mm = String(minute % 60).padStart(2, "0");
      const local = `2024-03-31T${hh}:${mm}:00`;
      const instant = new Date(utc(local, zone));
      const readBack = new Intl.DateTimeFormat("sv-SE", { timeZone: zone, dateStyle: "short", timeStyle: "medium" })
        .format(instant)
        .replace(" ", "T");
      if (hh === "02") expect(readBack).toBe(`2024-03-31T03:${mm}:00`);
      else expect(readBack).toBe(local);
    }
  });
});

describe("localDateTimeToUtc: errors", () => {
  it("names an invalid zone", () => {
    expect(() => utc("2024-01-01T00:00:00", "Europe/Atlantis")).toThrow(InvalidTimeZoneError);
    expect(() => utc("2024-01-01T00:00:00", "Europe/Atlantis")).toThrow(/Europe\/Atlantis/);
  });

  it.each(["2024-01-01T00:00:00Z", "2024-01-01T00:00:00+01:00", "2024-02-30T00:00:00", "2024-01-01 00:00:00", "2024-01-01T24:00:00", ""])(
    "rejects %j",
    (value) => {
      expect(() => utc(value, "UTC")).toThrow(InvalidLocalDateTimeError);
    },
  );
});
