import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";

import { App } from "../App";
import { NO_HISTORY } from "./DashboardPage";
import {
  CHILD_PROTECTION,
  CHLOE,
  HANNAH,
  HOME_ISSUES,
  INCIDENT_ID,
  OTHER_INCIDENT_ID,
  TEST_CONFIG,
  daysAgo,
  fakeServer,
  openAt,
} from "./fakeServer";

const ASIF = { ...HANNAH, id: "U3R1ZGVudDphbHBoYToy", firstName: "Asif", lastName: "Hussain" };

function alert(
  n: number,
  fields: { by: string; kind?: "INCIDENT" | "ACTION"; student?: typeof HANNAH; days: number },
  categories: unknown[],
) {
  return {
    __typename: "AlertEdge",
    cursor: `c${n}`,
    node: {
      __typename: "Alert",
      id: btoa(`Alert:alpha:${n}`),
      kind: fields.kind ?? "INCIDENT",
      incidentId: n === 1 ? INCIDENT_ID : OTHER_INCIDENT_ID,
      student: fields.student ?? HANNAH,
      categories,
      addedByName: fields.by,
      addedAt: daysAgo(fields.days),
    },
  };
}

function alertsPage(edges: unknown[], hasNextPage = false, endCursor: string | null = null) {
  return {
    alerts: {
      __typename: "AlertConnection",
      edges,
      pageInfo: { __typename: "PageInfo", hasNextPage, endCursor },
    },
  };
}

function history(entries: unknown[], unreadAlertCount = 2) {
  return {
    dashboard: { __typename: "Dashboard", unreadAlertCount, myHistory: entries },
  };
}

describe("Dashboard", () => {
  it("lists alerts as the guide shows them: who, pupil, categories, when", async () => {
    openAt("/");
    const server = fakeServer(CHLOE, {
      DashboardAlerts: () =>
        alertsPage([
          alert(1, { by: "Chloe Kelan", days: 2 }, [CHILD_PROTECTION, HOME_ISSUES]),
          alert(2, { by: "Wendy Abbott", kind: "ACTION", student: ASIF, days: 6 }, []),
        ]),
      DashboardHistory: () => history([]),
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);

    const table = await screen.findByRole("table");
    const [header, first, second] = within(table).getAllByRole("row");
    expect(header).toHaveTextContent("AlertAdded");
    expect(first).toHaveTextContent("Chloe Kelan added an incident for Hannah Greenwood");
    expect(first).toHaveTextContent("2 days ago by Chloe Kelan");
    expect(second).toHaveTextContent("Wendy Abbott added an action for Asif Hussain");
    expect(second).toHaveTextContent("6 days ago by Wendy Abbott");

    const chips = within(within(first!).getByRole("list", { name: "Categories" })).getAllByRole(
      "listitem",
    );
    expect(chips.map((chip) => chip.textContent)).toEqual(["Child Protection", "Home Issues"]);
    const chip = within(first!).getByText("Child Protection");
    expect(chip).toHaveStyle({ backgroundColor: "#b42318", color: "#ffffff" });

    expect(within(first!).getByRole("link", { name: "incident" })).toHaveAttribute(
      "href",
      `/incidents/${encodeURIComponent(INCIDENT_ID)}`,
    );
    expect(screen.getByText(NO_HISTORY)).toBeVisible();
  });

  it("stars out pupils' names with Hide Names", async () => {
    openAt("/");
    const server = fakeServer(CHLOE, {
      DashboardAlerts: () => alertsPage([alert(1, { by: "Chloe Kelan", days: 2 }, [])]),
      DashboardHistory: () =>
        history([
          {
            __typename: "HistoryEntry",
            kind: "INCIDENT",
            incidentId: OTHER_INCIDENT_ID,
            student: ASIF,
            categories: [HOME_ISSUES],
            addedAt: daysAgo(1),
          },
        ]),
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await screen.findByText(/Chloe Kelan added an/);
    expect(await screen.findByText(/You added an/)).toBeVisible();
    await userEvent.click(screen.getByRole("button", { name: "Hide Names" }));

    const main = screen.getByRole("main");
    expect(main).not.toHaveTextContent("Hannah");
    expect(main).not.toHaveTextContent("Asif");
    expect(main).toHaveTextContent("Chloe Kelan added an incident for ****** *********");
    expect(main).toHaveTextContent("You added an incident for **** *******");
  });

  it("pages through more alerts than fit on one page", async () => {
    openAt("/");
    const server = fakeServer(CHLOE, {
      DashboardAlerts: (variables) =>
        variables.after === "c1"
          ? alertsPage([alert(2, { by: "Wendy Abbott", days: 6 }, [])])
          : alertsPage([alert(1, { by: "Chloe Kelan", days: 2 }, [])], true, "c1"),
      DashboardHistory: () => history([], 21),
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await screen.findByText(/Chloe Kelan added an/);
    expect(screen.getByText("Page 1 of 2")).toBeVisible();
    expect(screen.getByRole("button", { name: "Previous page" })).toBeDisabled();

    await userEvent.click(screen.getByRole("button", { name: "Next page" }));
    expect(await screen.findByText(/Wendy Abbott added an/)).toBeVisible();
    expect(screen.queryByText(/Chloe Kelan added an/)).not.toBeInTheDocument();
    expect(screen.getByText("Page 2 of 2")).toBeVisible();
    expect(server.sent.filter((op) => op.name === "DashboardAlerts").at(-1)?.variables).toEqual({
      first: 20,
      after: "c1",
    });

    await userEvent.click(screen.getByRole("button", { name: "Previous page" }));
    expect(await screen.findByText(/Chloe Kelan added an/)).toBeVisible();
  });

  it("says when Haven cannot be reached, and tries again", async () => {
    openAt("/");
    let offline = true;
    const server = fakeServer(CHLOE, {
      DashboardAlerts: () => alertsPage([alert(1, { by: "Chloe Kelan", days: 2 }, [])]),
      DashboardHistory: () => history([]),
    });
    const flaky: typeof fetch = async (url, init) => {
      if (offline && String(init?.body).includes("DashboardAlerts")) {
        throw new TypeError("Failed to fetch");
      }
      return server.fetch(url, init);
    };
    render(<App config={TEST_CONFIG} fetchImpl={flaky} />);
    const problem = await screen.findByText(/Haven could not be reached/);
    expect(problem.closest("[role=alert]")).not.toBeNull();

    offline = false;
    await userEvent.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText(/Chloe Kelan added an/)).toBeVisible();
  });

  it("tells someone whose session has ended to log in again", async () => {
    openAt("/");
    const server = fakeServer(CHLOE, {
      DashboardAlerts: () => alertsPage([]),
      DashboardHistory: () => ({ dashboard: null }),
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(await screen.findByText(/Your session has ended/)).toBeVisible();
    expect(screen.getByRole("link", { name: "Log in again" })).toHaveAttribute(
      "href",
      "/login?next=%2F",
    );
  });
});
