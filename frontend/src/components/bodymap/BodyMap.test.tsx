import { fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { type BodyMapMarker, BodyMapEditor, BodyMapView } from "./BodyMap";

/** The editor as a form holds it, with the latest markers readable by the test. */
function Harness({ initial = [] }: { initial?: BodyMapMarker[] }) {
  const [markers, setMarkers] = useState<BodyMapMarker[]>(initial);
  return (
    <>
      <BodyMapEditor markers={markers} onChange={setMarkers} />
      <pre data-testid="markers">{JSON.stringify(markers)}</pre>
    </>
  );
}

function current(): BodyMapMarker[] {
  return JSON.parse(screen.getByTestId("markers").textContent ?? "[]") as BodyMapMarker[];
}

function sizeOutline(testId: string): void {
  const svg = screen.getByTestId(testId);
  svg.getBoundingClientRect = () =>
    ({ left: 100, top: 50, width: 120, height: 260, right: 220, bottom: 310, x: 100, y: 50 }) as DOMRect;
}

const TWO: BodyMapMarker[] = [
  { side: "FRONT", x: 0.2, y: 0.3, number: 1, note: "bruise" },
  { side: "BACK", x: 0.5, y: 0.5, number: 2, note: "graze" },
  { side: "FRONT", x: 0.7, y: 0.6, number: 3, note: "scratch" },
];

describe("BodyMapEditor", () => {
  it("places the next numbered marker where the outline is clicked", () => {
    render(<Harness />);
    sizeOutline("body-map-back");
    fireEvent.click(screen.getByTestId("body-map-back"), { clientX: 160, clientY: 180 });
    expect(current()).toEqual([{ side: "BACK", x: 0.5, y: 0.5, number: 1, note: "" }]);

    sizeOutline("body-map-front");
    fireEvent.click(screen.getByTestId("body-map-front"), { clientX: 130, clientY: 76 });
    const second = current()[1];
    expect(second?.side).toBe("FRONT");
    expect(second?.number).toBe(2);
    expect(second?.x).toBeCloseTo(0.25);
    expect(second?.y).toBeCloseTo(0.1);
    expect(within(screen.getByRole("group", { name: "Front" })).getByText("2")).toBeVisible();
  });

  it("adds a marker by keyboard and moves it with the arrow keys", async () => {
    const user = userEvent.setup();
    render(<Harness />);
    await user.tab();
    await user.tab();
    expect(screen.getByRole("button", { name: "Add marker to back" })).toHaveFocus();
    await user.keyboard("{Enter}");

    const marker = screen.getByRole("button", { name: /Marker 1 on the back/ });
    expect(marker).toHaveFocus();
    expect(current()).toEqual([{ side: "BACK", x: 0.5, y: 0.4, number: 1, note: "" }]);

    await user.keyboard("{ArrowRight}{ArrowRight}{ArrowDown}");
    expect(current()[0]?.x).toBeCloseTo(0.52);
    expect(current()[0]?.y).toBeCloseTo(0.41);
    await user.keyboard("{Shift>}{ArrowUp}{/Shift}");
    expect(current()[0]?.y).toBeCloseTo(0.36);
    expect(screen.getByRole("status")).toHaveTextContent("Marker 1 placed on the back.");
  });

  it("keeps markers inside the outline when moved past its edge", async () => {
    const user = userEvent.setup();
    render(<Harness initial={[{ side: "FRONT", x: 0.005, y: 0.5, number: 1, note: "" }]} />);
    screen.getByRole("button", { name: /Marker 1 on the front/ }).focus();
    await user.keyboard("{ArrowLeft}{ArrowLeft}");
    expect(current()[0]?.x).toBe(0);
  });

  it("moves a marker by dragging it", () => {
    render(<Harness initial={[{ side: "FRONT", x: 0.5, y: 0.5, number: 1, note: "" }]} />);
    sizeOutline("body-map-front");
    const marker = screen.getByRole("button", { name: /Marker 1 on the front/ });
    fireEvent.pointerDown(marker, { pointerId: 1, clientX: 160, clientY: 180 });
    fireEvent.pointerMove(screen.getByTestId("body-map-front"), {
      pointerId: 1,
      clientX: 190,
      clientY: 245,
    });
    fireEvent.pointerUp(screen.getByTestId("body-map-front"), { pointerId: 1 });
    expect(current()[0]?.x).toBeCloseTo(0.75);
    expect(current()[0]?.y).toBeCloseTo(0.75);
    // Moving after letting go does nothing.
    fireEvent.pointerMove(screen.getByTestId("body-map-front"), { clientX: 100, clientY: 50 });
    expect(current()[0]?.x).toBeCloseTo(0.75);
    expect(current()).toHaveLength(1);
  });

  it("gives a marker a note", async () => {
    const user = userEvent.setup();
    render(<Harness initial={TWO} />);
    const note = screen.getByLabelText("Note for marker 2 (back)");
    await user.clear(note);
    await user.type(note, "Red mark on shoulder");
    expect(current()[1]?.note).toBe("Red mark on shoulder");
    expect(screen.getByRole("button", { name: /Marker 2 on the back: Red mark on shoulder/ })).toBeVisible();
  });

  it("removes a marker and renumbers the ones after it", async () => {
    const user = userEvent.setup();
    render(<Harness initial={TWO} />);
    await user.click(screen.getByRole("button", { name: "Remove marker 2" }));
    expect(current()).toEqual([
      { side: "FRONT", x: 0.2, y: 0.3, number: 1, note: "bruise" },
      { side: "FRONT", x: 0.7, y: 0.6, number: 2, note: "scratch" },
    ]);
    expect(screen.getByLabelText("Note for marker 2 (front)")).toHaveValue("scratch");
    expect(screen.queryByRole("button", { name: "Remove marker 3" })).not.toBeInTheDocument();

    // The next marker placed follows on.
    await user.click(screen.getByRole("button", { name: "Add marker to front" }));
    expect(current().map((m) => m.number)).toEqual([1, 2, 3]);
  });
});

describe("BodyMapView", () => {
  it("shows both outlines, the markers and their notes, with nothing to press", () => {
    render(<BodyMapView markers={TWO} />);
    expect(screen.getByRole("img", { name: "Front: markers 1, 3" })).toBeVisible();
    expect(screen.getByRole("img", { name: "Back: marker 2" })).toBeVisible();
    expect(
      Array.from(document.querySelectorAll("figcaption"), (caption) => caption.textContent),
    ).toEqual(["Front", "Back"]);
    const notes = screen.getByRole("list", { name: "Body map markers" });
    expect(within(notes).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Front: bruise",
      "Back: graze",
      "Front: scratch",
    ]);
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });
});
