import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { fakeServer, renderWith } from "../../components/forms/formsTesting";
import { AddActionPage } from "./AddActionPage";

const INCIDENT = {
  incident: {
    id: "INC1",
    authorName: "Chloe Kelan",
    occurredAt: "2018-08-13T14:50:00+00:00",
    text: "Mr Greenwood was seen; Matthew did not see him.",
    textNameSpans: [{ start: 24, end: 31 }],
    student: { id: "S1", firstName: "Hannah", lastName: "Greenwood", tutorGroup: "1B" },
    categories: [{ id: "C2", name: "Child Protection", colour: "#c0392b" }],
    linkedStudents: [
      { student: { id: "S2", firstName: "Matthew", lastName: "Greenwood", tutorGroup: "5B" } },
    ],
    alertRecipientNames: ["Wendy Abbott", "Pat Jones"],
  },
};

function openForm(answers: Record<string, unknown>) {
  const server = fakeServer({
    IncidentForAction: INCIDENT,
    AlertGroups: { alertGroups: [{ id: "G1", name: "SLT" }] },
    Agencies: { agencies: [{ id: "A1", name: "Police" }] },
    ...answers,
  });
  render(
    renderWith(server, <AddActionPage />, {
      path: "/incidents/INC1/add-action",
      route: "/incidents/:incidentId/add-action",
    }),
  );
  return server;
}

afterEach(() => sessionStorage.clear());

describe("Add Action", () => {
  it("shows the incident and who was alerted to it, and sends the choices", async () => {
    const server = openForm({ AddAction: { addAction: { action: { id: "ACT1" }, errors: [] } } });
    const user = userEvent.setup();
    expect(await screen.findByRole("heading", { level: 2, name: "Hannah Greenwood (1B)" })).toBeVisible();
    expect(screen.getByText("Chloe Kelan on Mon 13/08/2018 15:50")).toBeVisible();
    expect(screen.getByText("These user(s) were alerted to the corresponding incident.")).toBeVisible();
    expect(screen.getByRole("list", { name: "Alerted to the incident" })).toHaveTextContent(
      "Wendy AbbottPat Jones",
    );

    await user.type(screen.getByLabelText("Action Taken"), "Phoned home.");
    const share = screen.getByRole("checkbox", { name: "Share documents?" });
    expect(share).toBeDisabled();
    await user.click(screen.getByRole("checkbox", { name: "Add action to linked students" }));
    await user.click(share);
    await user.click(screen.getByRole("checkbox", { name: "Add incident alert recipients" }));
    await user.click(await screen.findByRole("checkbox", { name: "Police" }));
    await user.click(screen.getByRole("button", { name: "SLT" }));
    await user.click(screen.getByRole("button", { name: "Add Action" }));

    expect(await screen.findByTestId("location")).toHaveTextContent("/incidents/INC1");
    expect(server.sent.find((s) => s.operationName === "AddAction")?.variables).toMatchObject({
      input: {
        incidentId: "INC1",
        text: "Phoned home.",
        agencyIds: ["A1"],
        addToLinkedStudents: true,
        shareDocuments: true,
        addIncidentAlertRecipients: true,
        alertGroupIds: ["G1"],
      },
    });
  });

  it("keeps the action text when the server answers with an error", async () => {
    openForm({
      AddAction: {
        addAction: {
          action: null,
          errors: [{ field: "text", code: "required", message: "Describe the action taken." }],
        },
      },
    });
    const user = userEvent.setup();
    await user.type(await screen.findByLabelText("Action Taken"), "   ");
    await user.click(screen.getByRole("button", { name: "Add Action" }));
    const textBox = screen.getByLabelText("Action Taken");
    expect(await screen.findAllByText("Describe the action taken.")).toHaveLength(2);
    expect(textBox).toHaveAttribute("aria-invalid", "true");
    expect(textBox).toHaveValue("   ");
  });
});
