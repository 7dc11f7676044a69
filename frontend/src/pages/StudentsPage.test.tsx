import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";

import { App } from "../App";
import { STUDENT_NOT_FOUND } from "./StudentPage";
import {
  CHILD_PROTECTION,
  CHLOE,
  HANNAH,
  INCIDENT_ID,
  KEY_HOLDER,
  OTHER_INCIDENT_ID,
  TEST_CONFIG,
  fakeServer,
  openAt,
} from "./fakeServer";

function searchAnswer() {
  return {
    me: { __typename: "Me", email: KEY_HOLDER.email },
    students: {
      __typename: "StudentConnection",
      edges: [{ __typename: "StudentEdge", node: HANNAH }],
      pageInfo: { __typename: "PageInfo", hasNextPage: false },
    },
  };
}

function incidentNode(id: string, occurredAt: string, text: string, actions: unknown[]) {
  return {
    __typename: "IncidentEdge",
    node: {
      __typename: "Incident",
      id,
      authorName: "Chloe Kelan",
      occurredAt,
      text,
      textNameSpans: [],
      categories: [CHILD_PROTECTION],
      actions,
    },
  };
}

function chronologyAnswer() {
  return {
    me: { __typename: "Me", email: KEY_HOLDER.email },
    student: {
      __typename: "StudentRecord",
      student: HANNAH,
      incidents: {
        __typename: "IncidentConnection",
        edges: [
          incidentNode(OTHER_INCIDENT_ID, "2018-09-01T09:00:00+00:00", "Second concern", []),
          incidentNode(INCIDENT_ID, "2018-08-13T14:50:00+00:00", "First concern", [
            {
              __typename: "IncidentAction",
              id: "ac1",
              authorName: "Wendy Abbott",
              occurredAt: "2018-09-03T10:00:00+00:00",
              text: "Met the family",
              textNameSpans: [],
            },
          ]),
        ],
        pageInfo: { __typename: "PageInfo", hasNextPage: false },
      },
    },
  };
}

describe("Students", () => {
  it("is only for key holders who passed the second factor", async () => {
    openAt("/students");
    const server = fakeServer(CHLOE, { StudentSearch: searchAnswer });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(
      await screen.findByText("Only staff with key access can search for students."),
    ).toBeVisible();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Students" })).not.toBeInTheDocument();
    expect(screen.queryByLabelText("Search for a student")).not.toBeInTheDocument();
  });

  it("asks a key holder for the second factor first", async () => {
    openAt("/students");
    const server = fakeServer({ ...KEY_HOLDER, secondFactorPassed: false, hasKeyAccess: false }, {});
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(await screen.findByRole("link", { name: "Give your second factor" })).toHaveAttribute(
      "href",
      "/second-factor?next=%2Fstudents",
    );
  });

  it("finds pupils by name and links to their record", async () => {
    openAt("/");
    const server = fakeServer(KEY_HOLDER, {
      StudentSearch: searchAnswer,
      DashboardAlerts: () => null,
      DashboardHistory: () => null,
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    const nav = await screen.findByRole("navigation", { name: "Main" });
    await userEvent.click(within(nav).getByRole("link", { name: "Students" }));
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    expect(screen.getByText("Type part of a student's name or a tutor group.")).toBeVisible();

    await userEvent.type(screen.getByLabelText("Search for a student"), "gre");
    await userEvent.click(screen.getByRole("button", { name: "Search" }));
    const link = await screen.findByRole("link", { name: "Hannah Greenwood" });
    expect(link).toHaveAttribute("href", `/students/${encodeURIComponent(HANNAH.id)}`);
    expect(screen.getByText("1 student found")).toBeVisible();
    expect(server.sent.find((op) => op.name === "StudentSearch")?.variables).toEqual({
      search: "gre",
    });

    await userEvent.click(screen.getByRole("button", { name: "Hide Names" }));
    expect(screen.getByRole("main")).not.toHaveTextContent("Hannah");
  });
});

describe("Students search as you type", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("searches once typing pauses, without pressing Search", async () => {
    openAt("/students");
    const server = fakeServer(KEY_HOLDER, { StudentSearch: searchAnswer });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    const box = await screen.findByLabelText("Search for a student");
    vi.useFakeTimers();
    for (const typed of ["g", "gr", "gre"]) {
      fireEvent.change(box, { target: { value: typed } });
      act(() => {
        vi.advanceTimersByTime(100);
      });
    }
    // Still typing: nothing asked yet.
    expect(server.sent.filter((op) => op.name === "StudentSearch")).toEqual([]);
    act(() => {
      vi.advanceTimersByTime(300);
    });
    vi.useRealTimers();
    expect(await screen.findByRole("link", { name: "Hannah Greenwood" })).toBeVisible();
    expect(server.sent.filter((op) => op.name === "StudentSearch").map((op) => op.variables)).toEqual(
      [{ search: "gre" }],
    );
    expect(window.location.search).toBe("?search=gre");
  });
});

describe("A pupil's record", () => {
  it("lists incidents and actions together, most recent first", async () => {
    openAt(`/students/${HANNAH.id}`);
    const server = fakeServer(KEY_HOLDER, { StudentChronology: chronologyAnswer });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(
      await screen.findByRole("heading", { level: 1, name: "Hannah Greenwood (1B)" }),
    ).toBeVisible();
    const headings = screen.getAllByRole("heading", { level: 3 }).map((h) => h.textContent);
    expect(headings).toEqual([
      "Action Mon 03/09/2018 11:00",
      "Incident Sat 01/09/2018 10:00",
      "Incident Mon 13/08/2018 15:50",
    ]);
    const links = screen.getAllByRole("link", { name: /View incident/ });
    expect(links.map((link) => link.getAttribute("href"))).toEqual([
      `/incidents/${encodeURIComponent(INCIDENT_ID)}`,
      `/incidents/${encodeURIComponent(OTHER_INCIDENT_ID)}`,
      `/incidents/${encodeURIComponent(INCIDENT_ID)}`,
    ]);
  });

  it("says the same for a missing pupil as for one out of reach", async () => {
    openAt(`/students/${HANNAH.id}`);
    const server = fakeServer(KEY_HOLDER, {
      StudentChronology: () => ({ me: { __typename: "Me", email: KEY_HOLDER.email }, student: null }),
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(await screen.findByText(STUDENT_NOT_FOUND)).toBeVisible();
  });
});
