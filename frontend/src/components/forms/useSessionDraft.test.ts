import { describe, expect, it } from "vitest";

import { clearDrafts } from "./useSessionDraft";

describe("clearDrafts", () => {
  it("forgets every form draft in the tab and nothing else", () => {
    sessionStorage.setItem("haven:draft:add-incident:chloe@alpha.example", "{}");
    sessionStorage.setItem("haven:draft:add-action:chloe@alpha.example:INC1", "{}");
    sessionStorage.setItem("something-else", "kept");
    clearDrafts();
    expect(sessionStorage.length).toBe(1);
    expect(sessionStorage.getItem("something-else")).toBe("kept");
    sessionStorage.clear();
  });
});
