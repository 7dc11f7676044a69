import { describe, expect, it } from "vitest";

import {
  MIN_CONTRAST,
  colourProblem,
  contrastWithWhite,
  darkerSuggestion,
  isHexColour,
} from "./contrast";

describe("contrast with white text", () => {
  it("follows the WCAG formula at its ends and at the AA grey", () => {
    expect(contrastWithWhite("#ffffff")).toBeCloseTo(1, 5);
    expect(contrastWithWhite("#000000")).toBeCloseTo(21, 5);
    expect(contrastWithWhite("#767676")).toBeCloseTo(4.54, 2);
  });

  it("accepts Haven's default category colours", () => {
    for (const colour of ["#8a4b08", "#9b2c2c", "#b42318", "#6b46c1", "#2c5282", "#276749"]) {
      expect(colourProblem(colour)).toBeUndefined();
    }
  });

  it("refuses a pale colour, says why, and suggests a darker one that passes", () => {
    const problem = colourProblem("#F6AD55");
    expect(problem).toMatch(/^White text on #f6ad55 has a contrast of only 1\.\d:1/);
    expect(problem).toContain("at least 4.5:1");
    const suggestion = darkerSuggestion("#f6ad55");
    expect(problem).toContain(`such as ${suggestion}.`);
    expect(contrastWithWhite(suggestion)).toBeGreaterThanOrEqual(MIN_CONTRAST);
    expect(suggestion).not.toBe("#000000");
  });

  it("matches the server's suggestion for the same colour", () => {
    // Computed by safeguarding.services.categories.darker_suggestion.
    expect(darkerSuggestion("#f6ad55")).toBe("#9a6c35");
  });

  it("asks for six hex digits", () => {
    expect(isHexColour(" #A1b2C3 ")).toBe(true);
    expect(isHexColour("red")).toBe(false);
    expect(colourProblem("#abc")).toBe("Enter a colour as # and six hex digits, e.g. #2c5282.");
  });
});
