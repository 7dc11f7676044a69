import { describe, expect, it } from "vitest";

import { moved } from "./order";

describe("moving an item in a list", () => {
  it("moves up and down by one place", () => {
    expect(moved(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
    expect(moved(["a", "b", "c"], 0, 1)).toEqual(["b", "a", "c"]);
  });

  it("leaves the list as it was at either end, and never changes the original", () => {
    const items = ["a", "b", "c"] as const;
    expect(moved(items, 0, -1)).toEqual(["a", "b", "c"]);
    expect(moved(items, 2, 1)).toEqual(["a", "b", "c"]);
    expect(items).toEqual(["a", "b", "c"]);
  });
});
