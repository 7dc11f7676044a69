import { describe, expect, it } from "vitest";

import { readCookie } from "./csrf";

describe("readCookie", () => {
  it("finds the production cookie by its __Host- name", () => {
    expect(readCookie("__Host-csrftoken", "a=1; __Host-csrftoken=abc%3D; csrftoken=dev")).toBe(
      "abc=",
    );
  });

  it("does not confuse a cookie whose name merely ends the same", () => {
    expect(readCookie("csrftoken", "__Host-csrftoken=prod")).toBeNull();
  });
});
