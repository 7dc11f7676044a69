import { describe, expect, it } from "vitest";

import { formatAddedBy, formatTimeAgo, formatUkDateTime } from "./dates";

describe("formatUkDateTime", () => {
  it("shows British Summer Time as the guide does", () => {
    // 14:50 UTC is 15:50 in London in August.
    expect(formatUkDateTime("2018-08-13T14:50:00Z")).toBe("Mon 13/08/2018 15:50");
  });

  it("shows Greenwich Mean Time in winter", () => {
    expect(formatUkDateTime("2018-12-03T09:05:00Z")).toBe("Mon 03/12/2018 09:05");
  });

  it("uses London time whatever offset the value was given in", () => {
    expect(formatUkDateTime("2018-08-17T23:30:00-05:00")).toBe("Sat 18/08/2018 05:30");
  });

  it("shows midnight as 00:00, not 24:00", () => {
    expect(formatUkDateTime(new Date(Date.UTC(2019, 0, 1, 0, 0)))).toBe("Tue 01/01/2019 00:00");
  });

  it("gives nothing for an invalid date rather than 'Invalid Date'", () => {
    expect(formatUkDateTime("not a date")).toBe("");
  });
});

describe("formatTimeAgo and formatAddedBy", () => {
  const now = new Date("2018-08-17T14:08:00Z");

  it("says '2 days ago by Chloe Kelan' as the dashboard does", () => {
    expect(formatAddedBy("2018-08-15T10:00:00Z", "Chloe Kelan", now)).toBe(
      "2 days ago by Chloe Kelan",
    );
  });

  it("uses whole units, singular where it should be", () => {
    expect(formatTimeAgo("2018-08-17T14:07:30Z", now)).toBe("just now");
    expect(formatTimeAgo("2018-08-17T14:07:00Z", now)).toBe("1 minute ago");
    expect(formatTimeAgo("2018-08-17T13:20:00Z", now)).toBe("48 minutes ago");
    expect(formatTimeAgo("2018-08-17T12:08:00Z", now)).toBe("2 hours ago");
    expect(formatTimeAgo("2018-08-16T14:08:00Z", now)).toBe("1 day ago");
    expect(formatTimeAgo("2018-08-11T14:08:00Z", now)).toBe("6 days ago");
    expect(formatTimeAgo("2018-06-01T14:08:00Z", now)).toBe("2 months ago");
    expect(formatTimeAgo("2016-08-01T14:08:00Z", now)).toBe("2 years ago");
  });

  it("treats a moment slightly in the future as just now", () => {
    expect(formatTimeAgo("2018-08-17T14:08:20Z", now)).toBe("just now");
  });

  it("leaves out 'by' when no name is given", () => {
    expect(formatAddedBy("2018-08-13T14:08:00Z", "", now)).toBe("4 days ago");
  });
});
