import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { HideNamesProvider } from "../HideNames";
import { STUDENTS, fakeServer, renderWith } from "./formsTesting";
import { type ChosenStudent, StudentTypeahead } from "./StudentTypeahead";

function Chooser() {
  const [chosen, setChosen] = useState<ChosenStudent | null>(null);
  return (
    <>
      <StudentTypeahead label="Student" inputId="student" chosen={chosen} onChoose={setChosen} />
      <p data-testid="chosen">{chosen?.id ?? "none"}</p>
    </>
  );
}

describe("StudentTypeahead", () => {
  it("searches after a pause and is driven with the arrow keys and Enter", async () => {
    const server = fakeServer({ StudentTypeahead: STUDENTS });
    const user = userEvent.setup();
    render(renderWith(server, <Chooser />));

    const box = await screen.findByRole("combobox", { name: "Student" });
    await user.type(box, "green");
    const options = await screen.findAllByRole("option");
    expect(options.map((o) => o.textContent)).toEqual(["Hannah Greenwood (1B)", "Matthew Greenwood (5B)"]);
    // One search for the whole word, not one per key.
    expect(server.sent.filter((s) => s.operationName === "StudentTypeahead").map((s) => s.variables.search)).toEqual([
      "green",
    ]);
    expect(box).toHaveAttribute("aria-expanded", "true");

    await user.keyboard("{ArrowDown}{ArrowDown}");
    expect(options[1]).toHaveAttribute("aria-selected", "true");
    expect(box).toHaveAttribute("aria-activedescendant", options[1]?.id);
    await user.keyboard("{ArrowDown}");
    expect(options[0]).toHaveAttribute("aria-selected", "true");
    await user.keyboard("{ArrowUp}{Enter}");

    expect(screen.getByTestId("chosen")).toHaveTextContent("S2");
    const chosen = screen.getByLabelText("Student");
    expect(chosen).toHaveValue("Matthew Greenwood (5B)");
    expect(chosen).toHaveAttribute("readonly");

    await user.click(screen.getByRole("button", { name: "Clear student" }));
    expect(screen.getByTestId("chosen")).toHaveTextContent("none");
    expect(screen.getByRole("combobox", { name: "Student" })).toHaveValue("");
  });

  it("closes the list with Escape, and Escape again clears the box", async () => {
    const server = fakeServer({ StudentTypeahead: STUDENTS });
    const user = userEvent.setup();
    render(renderWith(server, <Chooser />));
    const box = await screen.findByRole("combobox", { name: "Student" });
    await user.type(box, "green");
    await screen.findAllByRole("option");
    await user.keyboard("{Escape}");
    expect(box).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryAllByRole("option")).toHaveLength(0);
    await user.keyboard("{Escape}");
    expect(box).toHaveValue("");
    expect(screen.getByTestId("chosen")).toHaveTextContent("none");
  });

  it("stars out the chosen pupil's name under Hide Names", async () => {
    localStorage.setItem("haven:hide-names", "1");
    const server = fakeServer({ StudentTypeahead: STUDENTS });
    const user = userEvent.setup();
    render(<HideNamesProvider>{renderWith(server, <Chooser />)}</HideNamesProvider>);
    await user.type(await screen.findByRole("combobox", { name: "Student" }), "green");
    const options = await screen.findAllByRole("option");
    expect(options[0]).toHaveTextContent("****** ********* (1B)");
    await user.keyboard("{ArrowDown}{Enter}");
    expect(screen.getByLabelText("Student")).toHaveValue("****** ********* (1B)");
  });
});
