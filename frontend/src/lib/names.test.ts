import { describe, expect, it } from "vitest";

import { maskNames, normaliseSpans, splitByNames, starOut } from "./names";

const TEXT =
  "Mr Greenwood was spotted outside of the school gates. Mrs Simpson prevented both Hannah Greenwood and Matthew from seeing their father.";

function spanOf(text: string, name: string): { start: number; end: number } {
  const start = Array.from(text.slice(0, text.indexOf(name))).length;
  return { start, end: start + Array.from(name).length };
}

describe("maskNames", () => {
  it("stars out exactly the pupils' names and leaves the rest of the text", () => {
    const masked = maskNames(TEXT, [spanOf(TEXT, "Hannah Greenwood"), spanOf(TEXT, "Matthew")]);
    expect(masked).toBe(
      "Mr Greenwood was spotted outside of the school gates. Mrs Simpson prevented both ****** ********* and ******* from seeing their father.",
    );
    expect(masked).not.toContain("Hannah");
    expect(masked).not.toContain("Matthew");
  });

  it("keeps the length of the text so the page does not reflow", () => {
    const masked = maskNames(TEXT, [spanOf(TEXT, "Hannah Greenwood")]);
    expect(masked.length).toBe(TEXT.length);
  });

  it("returns the text unchanged without spans", () => {
    expect(maskNames(TEXT, [])).toBe(TEXT);
  });

  it("counts offsets in UTF-16 code units, as the server does", () => {
    const text = "😀 Asif Hussain was upset";
    // safeguarding/names.py counts the emoji as two units, as JavaScript does: Asif is at 3.
    expect(maskNames(text, [{ start: 3, end: 15 }])).toBe("😀 **** ******* was upset");
  });

  it("handles names with accents, hyphens and apostrophes", () => {
    const text = "Zoë O'Neill-Smith joined";
    expect(maskNames(text, [{ start: 0, end: 17 }])).toBe("*** ************* joined");
  });

  it("copes with overlapping, unordered and out-of-range spans", () => {
    const text = "Hannah Greenwood and Danielle Bradshaw";
    const masked = maskNames(text, [
      { start: 21, end: 99 },
      { start: 7, end: 16 },
      { start: 0, end: 10 },
      { start: -5, end: -1 },
      { start: 12, end: 12 },
    ]);
    expect(masked).toBe("****** ********* and ******** ********");
  });
});

describe("splitByNames", () => {
  it("marks which parts are names, in order", () => {
    expect(splitByNames("for Hannah today", [{ start: 4, end: 10 }])).toEqual([
      { text: "for ", isName: false },
      { text: "Hannah", isName: true },
      { text: " today", isName: false },
    ]);
  });

  it("joins back to the original text", () => {
    const spans = [spanOf(TEXT, "Hannah Greenwood"), spanOf(TEXT, "Matthew")];
    expect(
      splitByNames(TEXT, spans)
        .map((segment) => segment.text)
        .join(""),
    ).toBe(TEXT);
  });
});

describe("normaliseSpans", () => {
  it("merges touching spans", () => {
    expect(
      normaliseSpans(
        [
          { start: 5, end: 8 },
          { start: 0, end: 5 },
        ],
        10,
      ),
    ).toEqual([{ start: 0, end: 8 }]);
  });
});

describe("starOut", () => {
  it("keeps spaces between the parts of a name", () => {
    expect(starOut("Asif Hussain")).toBe("**** *******");
  });
});
