import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import { NOT_FOUND_MESSAGE, NO_KEY_ACCESS_WARNING } from "./IncidentPage";
import {
  CHILD_PROTECTION,
  CHLOE,
  HANNAH,
  HOME_ISSUES,
  INCIDENT_ID,
  KEY_HOLDER,
  OTHER_INCIDENT_ID,
  TEST_CONFIG,
  fakeServer,
  openAt,
} from "./fakeServer";

const TEXT =
  "Mr Greenwood was spotted outside of the school gates. Hannah Greenwood did not see him.";
const ALERT_ID = btoa("Alert:alpha:7");
const MATTHEW = { ...HANNAH, id: "U3R1ZGVudDphbHBoYToz", firstName: "Matthew", tutorGroup: "5B" };

function incident(overrides: Record<string, unknown> = {}) {
  return {
    __typename: "Incident",
    id: INCIDENT_ID,
    isLinkedCopy: false,
    student: HANNAH,
    authorName: "Chloe Kelan",
    occurredAt: "2018-08-13T14:50:00+00:00",
    text: TEXT,
    textNameSpans: [{ __typename: "NameSpan", start: 54, end: 70 }],
    categories: [CHILD_PROTECTION, HOME_ISSUES],
    subcategories: [{ __typename: "Subcategory", id: "s1", name: "Early Help" }],
    agencies: [{ __typename: "Agency", id: "a1", name: "Police" }],
    linkedStudents: [{ __typename: "LinkedStudent", student: MATTHEW }],
    bodyMap: [
      { __typename: "BodyMapMarker", side: "FRONT", x: 0.5, y: 0.3, number: 1, note: "bruise" },
    ],
    attachments: [
      {
        __typename: "AttachmentFile",
        id: "f1",
        name: "letter.pdf",
        size: 2048,
        downloadUrl: "/attachments/f1/download",
      },
    ],
    actions: [
      {
        __typename: "IncidentAction",
        id: "ac1",
        authorName: "Wendy Abbott",
        text: "Spoke to Hannah Greenwood's mother.",
        textNameSpans: [{ __typename: "NameSpan", start: 9, end: 25 }],
        occurredAt: "2018-08-17T13:08:00+00:00",
        agencies: [],
        attachments: [],
      },
    ],
    unreadAlertId: ALERT_ID,
    alertedByName: "Chloe Kelan",
    ...overrides,
  };
}

function answers(
  me: typeof CHLOE,
  found: unknown,
  nextIncident?: string,
  more: Parameters<typeof fakeServer>[1] = {},
) {
  return fakeServer(me, {
    ...more,
    IncidentView: () => ({
      me: { __typename: "Me", email: me.email },
      incident: found,
      alerts: {
        __typename: "AlertConnection",
        edges: [INCIDENT_ID, ...(nextIncident ? [nextIncident] : [])].map((id, n) => ({
          __typename: "AlertEdge",
          node: { __typename: "Alert", id: `al${n}`, incidentId: id },
        })),
      },
    }),
    MarkAlertRead: () => ({
      markAlertRead: { __typename: "MarkAlertReadPayload", nextAlert: null, errors: [] },
    }),
    DashboardAlerts: () => ({
      alerts: {
        __typename: "AlertConnection",
        edges: [],
        pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: null },
      },
    }),
    DashboardHistory: () => ({
      dashboard: { __typename: "Dashboard", unreadAlertCount: 0, myHistory: [] },
    }),
  });
}

function incidentText(): HTMLElement {
  const text = document.querySelector<HTMLElement>(".incident-text");
  if (!text) throw new Error("no incident text");
  return text;
}

describe("Viewing Incident", () => {
  it("shows the incident as the guide does", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    render(<App config={TEST_CONFIG} fetchImpl={answers(CHLOE, incident()).fetch} />);

    expect(
      await screen.findByRole("heading", {
        level: 1,
        name: "Viewing Incident - Hannah Greenwood (1B)",
      }),
    ).toBeVisible();
    expect(screen.getByText("Mon 13/08/2018 15:50")).toBeVisible();
    expect(incidentText()).toHaveTextContent(TEXT);
    expect(screen.getByText("Child Protection")).toBeVisible();
    expect(screen.getByText("Early Help", { exact: false })).toBeVisible();
    const linked = screen.getByRole("region", { name: "Linked Students" });
    expect(linked).toHaveTextContent("Matthew Greenwood (5B)");
    expect(screen.getByRole("link", { name: "letter.pdf" })).toHaveAttribute(
      "href",
      "/attachments/f1/download",
    );
    expect(screen.getByRole("img", { name: "Front: marker 1" })).toBeVisible();
    const action = screen.getByRole("article", { name: "Action by Wendy Abbott" });
    expect(action).toHaveTextContent("Fri 17/08/2018 14:08");
    expect(action).toHaveTextContent("Spoke to Hannah Greenwood's mother.");
    expect(screen.getByText("Chloe Kelan alerted you to this incident.")).toBeVisible();
    expect(screen.getByRole("link", { name: "Add Action" })).toHaveAttribute(
      "href",
      `/incidents/${encodeURIComponent(INCIDENT_ID)}/add-action`,
    );
    // No other alert waiting: no "next alert".
    expect(screen.queryByRole("link", { name: "next alert" })).not.toBeInTheDocument();
  });

  it("says a linked pupil's copy is one and offers no Add Action on it", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    const copy = incident({
      isLinkedCopy: true,
      student: MATTHEW,
      categories: [HOME_ISSUES],
      subcategories: [],
      agencies: [],
      linkedStudents: [],
      bodyMap: [],
      attachments: [],
      unreadAlertId: null,
      alertedByName: null,
    });
    render(<App config={TEST_CONFIG} fetchImpl={answers(KEY_HOLDER, copy).fetch} />);
    expect(
      await screen.findByRole("heading", {
        level: 1,
        name: "Viewing Incident - Matthew Greenwood (5B)",
      }),
    ).toBeVisible();
    expect(screen.getByText(/copy of a linked incident/)).toHaveTextContent(
      "This is Matthew Greenwood's copy of a linked incident",
    );
    expect(screen.queryByText("Child Protection")).not.toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Linked Students" })).not.toBeInTheDocument();
    expect(screen.queryByRole("link", { name: "Add Action" })).not.toBeInTheDocument();
  });

  it("stars the pupils' names in the heading and texts with Hide Names", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    render(<App config={TEST_CONFIG} fetchImpl={answers(CHLOE, incident()).fetch} />);
    await screen.findByText(/Mr Greenwood was spotted/);
    await userEvent.click(screen.getByRole("button", { name: "Hide Names" }));
    const main = screen.getByRole("main");
    expect(main).not.toHaveTextContent("Hannah");
    expect(main).not.toHaveTextContent("Matthew");
    expect(main).toHaveTextContent("Viewing Incident - ****** ********* (1B)");
    expect(main).toHaveTextContent("the school gates. ****** ********* did not see him.");
    expect(main).toHaveTextContent("Spoke to ****** *********'s mother.");
  });

  it("warns staff without key access before marking as read, and only then marks", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    const server = answers(CHLOE, incident());
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await userEvent.click(await screen.findByRole("button", { name: "mark as read" }));

    const warning = screen.getByRole("alertdialog", { name: "Mark as read?" });
    expect(warning).toHaveTextContent(NO_KEY_ACCESS_WARNING);
    expect(warning).toHaveFocus();
    expect(server.sent.some((op) => op.name === "MarkAlertRead")).toBe(false);

    await userEvent.click(within(warning).getByRole("button", { name: "Cancel" }));
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "mark as read" }));
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument();
    expect(server.sent.some((op) => op.name === "MarkAlertRead")).toBe(false);

    await userEvent.click(screen.getByRole("button", { name: "mark as read" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, mark as read" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    expect(server.sent.filter((op) => op.name === "MarkAlertRead")).toEqual([
      { name: "MarkAlertRead", variables: { alertId: ALERT_ID } },
    ]);
    expect(screen.getByText("The incident was marked as read.")).toBeVisible();
  });

  it("marks as read at once for key holders, and goes to the next alert", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    const server = answers(KEY_HOLDER, incident(), OTHER_INCIDENT_ID);
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(await screen.findByRole("link", { name: "next alert" })).toHaveAttribute(
      "href",
      `/incidents/${encodeURIComponent(OTHER_INCIDENT_ID)}`,
    );
    await userEvent.click(screen.getByRole("button", { name: "mark as read" }));
    expect(screen.queryByText(NO_KEY_ACCESS_WARNING)).not.toBeInTheDocument();
    await waitFor(() =>
      expect(server.sent.filter((op) => op.name === "IncidentView").at(-1)?.variables).toEqual({
        id: OTHER_INCIDENT_ID,
      }),
    );
    expect(window.location.pathname).toBe(`/incidents/${encodeURIComponent(OTHER_INCIDENT_ID)}`);
    expect(
      await screen.findByText("The incident was marked as read. This is your next alert."),
    ).toBeVisible();
    expect(server.sent.filter((op) => op.name === "MarkAlertRead")).toHaveLength(1);
  });

  it("gives one neutral message for a missing, forbidden or malformed incident", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    const { unmount } = render(
      <App config={TEST_CONFIG} fetchImpl={answers(CHLOE, null).fetch} />,
    );
    expect(await screen.findByText(NOT_FOUND_MESSAGE)).toBeVisible();
    expect(screen.queryByRole("button", { name: "mark as read" })).not.toBeInTheDocument();
    unmount();

    openAt("/incidents/not-an-id");
    const server = answers(CHLOE, incident());
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(await screen.findByText(NOT_FOUND_MESSAGE)).toBeVisible();
    expect(server.sent.some((op) => op.name === "IncidentView")).toBe(false);
  });

  it("keeps the warning open and says so when marking fails", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    const server = answers(CHLOE, incident());
    const offlineMutation: typeof fetch = async (url, init) => {
      if (String(init?.body).includes("MarkAlertRead")) throw new TypeError("Failed to fetch");
      return server.fetch(url, init);
    };
    render(<App config={TEST_CONFIG} fetchImpl={offlineMutation} />);
    await userEvent.click(await screen.findByRole("button", { name: "mark as read" }));
    await userEvent.click(screen.getByRole("button", { name: "Yes, mark as read" }));
    expect(await screen.findByText(/Haven could not be reached/)).toBeVisible();
    expect(screen.getByRole("alertdialog")).toBeVisible();
    expect(screen.getByRole("heading", { level: 1 })).toHaveTextContent("Viewing Incident");
  });
});

function chronology() {
  return {
    me: { __typename: "Me", email: KEY_HOLDER.email },
    student: {
      __typename: "StudentRecord",
      student: HANNAH,
      incidents: {
        __typename: "IncidentConnection",
        edges: [
          {
            __typename: "IncidentEdge",
            node: {
              __typename: "Incident",
              id: INCIDENT_ID,
              authorName: "Chloe Kelan",
              occurredAt: "2018-08-13T14:50:00+00:00",
              text: "First concern",
              textNameSpans: [],
              categories: [CHILD_PROTECTION],
              actions: [],
            },
          },
        ],
        pageInfo: { __typename: "PageInfo", hasNextPage: false },
      },
    },
  };
}

describe("Back", () => {
  it("returns to the chronology the incident was opened from, with Hide Names still on", async () => {
    openAt(`/students/${HANNAH.id}`);
    const server = answers(KEY_HOLDER, incident(), undefined, { StudentChronology: chronology });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await screen.findByRole("heading", { level: 1, name: "Hannah Greenwood (1B)" });
    await userEvent.click(screen.getByRole("button", { name: "Hide Names" }));
    await userEvent.click(screen.getByRole("link", { name: /View incident/ }));
    await screen.findByRole("heading", {
      level: 1,
      name: "Viewing Incident - ****** ********* (1B)",
    });

    await userEvent.click(screen.getByRole("link", { name: "Back" }));
    expect(
      await screen.findByRole("heading", { level: 1, name: "****** ********* (1B)" }),
    ).toBeVisible();
    expect(window.location.pathname).toBe(`/students/${HANNAH.id}`);
    expect(screen.getByRole("button", { name: "Show Names" })).toBeVisible();
    expect(screen.getByRole("main")).not.toHaveTextContent("Hannah");
  });

  it("from Add Action returns to the incident, and from there to where it was opened", async () => {
    openAt(`/students/${HANNAH.id}`);
    const server = answers(KEY_HOLDER, incident(), undefined, {
      StudentChronology: chronology,
      IncidentForAction: () => ({
        incident: {
          __typename: "Incident",
          id: INCIDENT_ID,
          authorName: "Chloe Kelan",
          occurredAt: "2018-08-13T14:50:00+00:00",
          text: TEXT,
          textNameSpans: [],
          student: HANNAH,
          categories: [CHILD_PROTECTION],
          linkedStudents: [],
          alertRecipientNames: [],
        },
      }),
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await screen.findByRole("heading", { level: 1, name: "Hannah Greenwood (1B)" });
    await userEvent.click(screen.getByRole("link", { name: /View incident/ }));
    await screen.findByText(/Mr Greenwood was spotted/);
    await userEvent.click(screen.getByRole("link", { name: "Add Action" }));
    await screen.findByRole("heading", { level: 1, name: "Add Action" });

    await userEvent.click(screen.getByRole("link", { name: "Back" }));
    await screen.findByRole("heading", {
      level: 1,
      name: "Viewing Incident - Hannah Greenwood (1B)",
    });
    await userEvent.click(screen.getByRole("link", { name: "Back" }));
    expect(
      await screen.findByRole("heading", { level: 1, name: "Hannah Greenwood (1B)" }),
    ).toBeVisible();
    // Four screens in one test: more than the default 5 s on a loaded machine.
  }, 20_000);

  it("opened from an e-mail's link, goes to the Dashboard", async () => {
    openAt(`/incidents/${INCIDENT_ID}`);
    render(<App config={TEST_CONFIG} fetchImpl={answers(CHLOE, incident()).fetch} />);
    await screen.findByText(/Mr Greenwood was spotted/);
    const back = screen.getByRole("link", { name: "Back" });
    expect(back).toHaveAttribute("href", "/");
    await userEvent.click(back);
    expect(await screen.findByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  });

  it("on Add Incident returns to the Dashboard it was opened from", async () => {
    openAt("/");
    render(<App config={TEST_CONFIG} fetchImpl={answers(CHLOE, incident()).fetch} />);
    await screen.findByRole("heading", { level: 1, name: "Dashboard" });
    const nav = screen.getByRole("navigation", { name: "Main" });
    await userEvent.click(within(nav).getByRole("link", { name: "Add Incident" }));
    await screen.findByRole("heading", { level: 1, name: "Add Incident" });
    await userEvent.click(screen.getByRole("link", { name: "Back" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
  });
});
