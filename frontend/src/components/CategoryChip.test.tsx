import { render, screen } from "@testing-library/react";
import { describe, expect, it } from "vitest";

import { CategoryChip, chipTextColour } from "./CategoryChip";

describe("CategoryChip", () => {
  it("shows the name in white on the category colour", () => {
    render(<CategoryChip category={{ name: "SEND", colour: "#2b6cb0" }} />);
    expect(screen.getByText("SEND")).toHaveStyle({ backgroundColor: "#2b6cb0", color: "#ffffff" });
  });

  it("uses dark text where white could not be read on a pale colour", () => {
    expect(chipTextColour("#b42318")).toBe("#ffffff");
    expect(chipTextColour("#1a202c")).toBe("#ffffff");
    expect(chipTextColour("#ffd700")).toBe("#1a1a1a");
    expect(chipTextColour("#cccccc")).toBe("#1a1a1a");
  });

  it("falls back to a readable grey for a colour that is not one", () => {
    render(<CategoryChip category={{ name: "Other", colour: "red" }} />);
    expect(screen.getByText("Other")).toHaveStyle({ backgroundColor: "#505a64", color: "#ffffff" });
  });
});
