import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { describe, expect, it } from "vitest";

import { fakeServer, renderWith } from "./formsTesting";
import { type ChosenColleague, NOT_NORMALLY_VIEW, StaffAlertPicker } from "./StaffAlertPicker";

const STAFF = {
  staff: {
    edges: [
      { node: { id: "T1", fullName: "Wendy Abbott", jobTitle: "Teacher", wouldNotNormallyView: true } },
      { node: { id: "T2", fullName: "Wendy Ng", jobTitle: "DSL", wouldNotNormallyView: false } },
    ],
  },
};
const GROUPS = { alertGroups: [{ id: "G1", name: "SLT" }, { id: "G2", name: "Teachers" }] };

function Picker() {
  const [chosen, setChosen] = useState<ChosenColleague[]>([]);
  const [groups, setGroups] = useState<string[]>([]);
  return (
    <StaffAlertPicker
      studentId="S1"
      categoryIds={["C2"]}
      chosen={chosen}
      onChange={setChosen}
      groupIds={groups}
      onGroupsChange={setGroups}
    />
  );
}

describe("StaffAlertPicker", () => {
  it("marks colleagues who would not normally see the incident in red and in words", async () => {
    const server = fakeServer({ ColleagueSearch: STAFF, AlertGroups: GROUPS });
    const user = userEvent.setup();
    render(renderWith(server, <Picker />));

    await user.type(await screen.findByRole("combobox", { name: "Alert Staff Members" }), "wendy");
    const [abbott, ng] = await screen.findAllByRole("option");
    expect(abbott).toHaveTextContent(`Wendy Abbott, Teacher (${NOT_NORMALLY_VIEW})`);
    expect(abbott).toHaveClass("colleague-restricted");
    expect(ng).toHaveTextContent("Wendy Ng, DSL");
    expect(ng).not.toHaveTextContent(NOT_NORMALLY_VIEW);
    expect(ng).not.toHaveClass("colleague-restricted");
    // The picker asks about this incident's pupil and categories.
    expect(server.sent.find((s) => s.operationName === "ColleagueSearch")?.variables).toMatchObject({
      search: "wendy",
      studentId: "S1",
      categoryIds: ["C2"],
    });

    await user.keyboard("{ArrowDown}{Enter}");
    const chips = screen.getByRole("list", { name: "Colleagues to alert" });
    const chip = within(chips).getByRole("listitem");
    expect(chip).toHaveTextContent(NOT_NORMALLY_VIEW);
    expect(chip).toHaveClass("colleague-restricted");
    await user.click(within(chips).getByRole("button", { name: "Remove Wendy Abbott" }));
    expect(screen.queryByRole("list", { name: "Colleagues to alert" })).not.toBeInTheDocument();
  });

  it("shows the alert groups as toggle buttons and the guide's help", async () => {
    const server = fakeServer({ ColleagueSearch: STAFF, AlertGroups: GROUPS });
    const user = userEvent.setup();
    render(renderWith(server, <Picker />));
    const slt = await screen.findByRole("button", { name: "SLT" });
    expect(slt).toHaveAttribute("aria-pressed", "false");
    await user.click(slt);
    expect(slt).toHaveAttribute("aria-pressed", "true");
    expect(
      screen.getByText(/Colleagues highlighted in red would not normally be able to view this incident\./),
    ).toBeVisible();
    expect(screen.getByText("Who should I alert?")).toBeVisible();
  });
});
