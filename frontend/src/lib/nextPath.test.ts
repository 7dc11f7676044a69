import { describe, expect, it } from "vitest";

import { safeNextPath } from "./nextPath";

const ORIGIN = "https://montsaye.haven.example.org";

describe("safeNextPath", () => {
  it.each([
    ["/", "/"],
    ["/library", "/library"],
    ["/students?q=Greenwood#chronology", "/students?q=Greenwood#chronology"],
    ["/incidents/SW5jaWRlbnQ6YWxwaGE6NDI=/add-action", "/incidents/SW5jaWRlbnQ6YWxwaGE6NDI=/add-action"],
    // Dot segments resolve inside the same host.
    ["/account/../settings", "/settings"],
  ])("keeps the same-host path %s", (next, expected) => {
    expect(safeNextPath(next, ORIGIN)).toBe(expected);
  });

  it.each([
    // As it arrives from the query string, already decoded: a tab the parser drops.
    ["/\t/example.org"],
    [decodeURIComponent("/%09/example.org")],
    ["/\n/example.org"],
    ["/\r\n/example.org"],
    ["//evil.example"],
    ["///evil.example"],
    ["/\\evil.example"],
    ["/\\/evil.example"],
    ["\\\\evil.example"],
    ["javascript:alert(1)"],
    ["JavaScript:alert(1)"],
    ["https://evil.example"],
    ["https://montsaye.haven.example.org.evil.example/"],
    ["http://montsaye.haven.example.org/"],
    ["data:text/html,<script>alert(1)</script>"],
    [" /library"],
    ["/\u0000/evil.example"],
    ["/\u007f/evil.example"],
    ["library"],
    [""],
    [null],
    [undefined],
  ])("sends %j to the Dashboard", (next) => {
    expect(safeNextPath(next, ORIGIN)).toBe("/");
  });

  it("refuses even this host written out in full: only paths are links we make", () => {
    expect(safeNextPath(`${ORIGIN}/library`, ORIGIN)).toBe("/");
  });

  it("uses this page's own origin by default", () => {
    expect(safeNextPath("/library")).toBe("/library");
    expect(safeNextPath("/\t/example.org")).toBe("/");
  });
});
