import { describe, expect, it } from "vitest";

import { fromLondon, occurredAtCheck, toLondon } from "./londonTime";

describe("London wall-clock time", () => {
  it("reads summer time as an hour ahead of UTC", () => {
    expect(toLondon(new Date("2018-08-13T14:50:00Z"))).toEqual({ date: "2018-08-13", time: "15:50" });
    expect(fromLondon({ date: "2018-08-13", time: "15:50" })?.toISOString()).toBe(
      "2018-08-13T14:50:00.000Z",
    );
  });

  it("reads winter time as UTC", () => {
    expect(fromLondon({ date: "2018-12-03", time: "09:05" })?.toISOString()).toBe(
      "2018-12-03T09:05:00.000Z",
    );
  });

  it("round-trips across the clock change", () => {
    for (const iso of ["2026-03-29T00:30:00Z", "2026-03-29T01:30:00Z", "2026-10-25T02:15:00Z"]) {
      const local = toLondon(new Date(iso));
      expect(fromLondon(local)?.toISOString()).toBe(new Date(iso).toISOString());
    }
  });

  it("refuses what is not a date", () => {
    expect(fromLondon({ date: "", time: "10:00" })).toBeNull();
    expect(fromLondon({ date: "2018-02-31", time: "10:00" })).toBeNull();
    expect(fromLondon({ date: "2018-02-01", time: "25:00" })).toBeNull();
  });
});

describe("occurredAtCheck", () => {
  const now = new Date("2026-11-29T11:30:00Z");
  it("takes now and earlier, refuses later and nonsense", () => {
    expect(occurredAtCheck({ date: "2026-11-29", time: "11:30" }, now)).toEqual({
      iso: "2026-11-29T11:30:00.000Z",
    });
    expect(occurredAtCheck({ date: "2018-08-13", time: "15:50" }, now)).toEqual({
      iso: "2018-08-13T14:50:00.000Z",
    });
    expect(occurredAtCheck({ date: "2026-11-29", time: "11:45" }, now)).toEqual({
      error: "The date and time is in the future.",
    });
    expect(occurredAtCheck({ date: "", time: "" }, now)).toEqual({ error: "Enter the date and the time." });
  });
});
