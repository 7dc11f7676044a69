import { describe, expect, it } from "vitest";

import { fromLondon, toLondon } from "./londonTime";

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
