import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it } from "vitest";

import { CATEGORIES, CHLOE, STUDENTS, fakeServer, renderWith } from "../../components/forms/formsTesting";
import { AddIncidentPage } from "./AddIncidentPage";
import { incidentDraftKey } from "./incidentDraft";

const INCIDENT_DRAFT_KEY = incidentDraftKey(CHLOE.email);

const COMMON = {
  StudentTypeahead: STUDENTS,
  Categories: CATEGORIES,
  AlertGroups: { alertGroups: [] },
  Agencies: { agencies: [{ id: "A1", name: "Police" }] },
};

function openForm(answers: Record<string, unknown>) {
  const server = fakeServer({ ...COMMON, ...answers });
  render(renderWith(server, <AddIncidentPage />, { path: "/add-incident", route: "/add-incident" }));
  return server;
}

async function fillIn(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await user.type(await screen.findByRole("combobox", { name: "Student" }), "hann");
  await user.click((await screen.findAllByRole("option"))[0] as HTMLElement);
  await user.type(screen.getByLabelText("Incident"), "Upset at the gate.");
}

afterEach(() => sessionStorage.clear());

describe("Add Incident", () => {
  it("shows each error next to its field and keeps what was typed", async () => {
    const server = openForm({
      AddIncident: {
        addIncident: {
          incidentId: null,
          incident: null,
          errors: [{ field: "categoryIds", code: "required", message: "Choose at least one category." }],
        },
      },
    });
    const user = userEvent.setup();
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Add Incident" }));

    const categories = (await screen.findByText("Categories", { selector: "legend" })).closest("fieldset");
    expect(categories).not.toBeNull();
    expect(within(categories as HTMLElement).getByText("Choose at least one category.")).toBeVisible();
    const summary = screen.getByRole("alert");
    expect(within(summary).getByRole("link", { name: "Choose at least one category." })).toHaveAttribute(
      "href",
      "#incident-categories",
    );
    expect(summary).toHaveFocus();
    expect(screen.getByLabelText("Incident")).toHaveValue("Upset at the gate.");
    expect(screen.getByLabelText("Student")).toHaveValue("Hannah Greenwood (1B)");
    expect(server.sent.find((s) => s.operationName === "AddIncident")?.variables).toMatchObject({
      input: { studentId: "S1", text: "Upset at the gate.", categoryIds: [] },
    });
  });

  it("keeps the draft when the network fails, and in this tab's storage for after signing in", async () => {
    openForm({ AddIncident: new TypeError("Failed to fetch") });
    const user = userEvent.setup();
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Child Protection" }));
    await user.click(screen.getByRole("button", { name: "Add Incident" }));

    expect(await screen.findByText(/Haven could not be reached/)).toBeVisible();
    expect(screen.getByLabelText("Incident")).toHaveValue("Upset at the gate.");
    const stored = JSON.parse(sessionStorage.getItem(INCIDENT_DRAFT_KEY) ?? "{}");
    expect(stored).toMatchObject({ text: "Upset at the gate.", categoryIds: ["C2"], student: { id: "S1" } });
  });

  it("says the session ended and keeps the draft when the server refuses the request", async () => {
    openForm({ AddIncident: new Response("Forbidden", { status: 403 }) });
    const user = userEvent.setup();
    await fillIn(user);
    await user.click(screen.getByRole("button", { name: "Add Incident" }));
    expect(await screen.findByText(/Your session has ended/)).toBeVisible();
    expect(screen.getByRole("link", { name: "Sign in again" })).toHaveAttribute(
      "href",
      "/login?next=%2Fadd-incident",
    );
    expect(screen.getByLabelText("Incident")).toHaveValue("Upset at the gate.");
  });

  it("picks up a stored draft, then goes to the dashboard and forgets the draft", async () => {
    sessionStorage.setItem(
      INCIDENT_DRAFT_KEY,
      JSON.stringify({
        student: { id: "S1", firstName: "Hannah", lastName: "Greenwood", tutorGroup: "1B" },
        text: "Typed before signing in again.",
        categoryIds: ["C2"],
        subcategoryIds: ["SC1"],
        files: [{ key: "k", name: "half.pdf", size: 10, status: "uploading" }],
      }),
    );
    const server = openForm({
      AddIncident: { addIncident: { incidentId: "SW5jaWRlbnQ6YWxwaGE6Nw==", incident: null, errors: [] } },
    });
    const user = userEvent.setup();
    expect(await screen.findByLabelText("Incident")).toHaveValue("Typed before signing in again.");
    // A file cut short by the page load is not offered as uploaded.
    expect(screen.queryByText("half.pdf")).not.toBeInTheDocument();
    expect(await screen.findByRole("button", { name: "CAF" })).toHaveAttribute("aria-pressed", "true");

    await user.click(screen.getByRole("button", { name: "Add Incident" }));
    // Without key access the author cannot read it back, so the dashboard says it was added.
    expect(await screen.findByTestId("location")).toHaveTextContent(/^\/$/);
    expect(sessionStorage.getItem(INCIDENT_DRAFT_KEY)).toBeNull();
    expect(server.sent.find((s) => s.operationName === "AddIncident")?.variables).toMatchObject({
      input: { categoryIds: ["C2"], subcategoryIds: ["SC1"], attachmentIds: [] },
    });
  });

  it("goes to the new incident when the author can read it", async () => {
    sessionStorage.setItem(
      INCIDENT_DRAFT_KEY,
      JSON.stringify({
        student: { id: "S1", firstName: "Hannah", lastName: "Greenwood", tutorGroup: "1B" },
        text: "A key holder's incident.",
        categoryIds: ["C2"],
      }),
    );
    const server = openForm({
      AddIncident: {
        addIncident: {
          incidentId: "SW5jaWRlbnQ6YWxwaGE6Nw==",
          incident: { id: "SW5jaWRlbnQ6YWxwaGE6Nw==" },
          errors: [],
        },
      },
    });
    const user = userEvent.setup();
    expect(await screen.findByLabelText("Incident")).toHaveValue("A key holder's incident.");
    await user.click(screen.getByRole("button", { name: "Add Incident" }));
    expect(await screen.findByTestId("location")).toHaveTextContent(
      "/incidents/SW5jaWRlbnQ6YWxwaGE6Nw%3D%3D",
    );
    expect(server.sent.some((s) => s.operationName === "AddIncident")).toBe(true);
  });

  it("asks for a student before sending anything", async () => {
    const server = openForm({});
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Add Incident" }));
    expect(await screen.findAllByText("Choose a student.")).toHaveLength(2);
    expect(server.sent.some((s) => s.operationName === "AddIncident")).toBe(false);
  });
});
