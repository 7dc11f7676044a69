import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "../../App";
import type { AppConfig } from "../../config";

const CONFIG: AppConfig = {
  schoolName: "Alpha Academy",
  csrfCookieName: "haven-csrf",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 15 * 60,
  headerLinks: [],
  version: "0.1.0",
};

const ME = {
  email: "dsl@alpha.example",
  firstName: "Dee",
  lastName: "Lead",
  fullName: "Dee Lead",
  jobTitle: "Designated Safeguarding Lead",
  isKeyHolder: true,
  isSchoolAdmin: true,
  secondFactorPassed: true,
  hasKeyAccess: true,
};

const CATEGORIES = [
  {
    id: "c1",
    name: "Bullying",
    colour: "#9b2c2c",
    order: 0,
    isActive: true,
    dslTeamOnly: false,
    inUse: true,
    subcategories: [{ id: "s1", name: "Online", order: 0, isActive: true, inUse: false }],
  },
  {
    id: "c2",
    name: "Prevent",
    colour: "#1a202c",
    order: 1,
    isActive: false,
    dslTeamOnly: true,
    inUse: false,
    subcategories: [],
  },
];

const CHANGES = {
  nodes: [
    {
      id: "h1",
      at: "2026-03-02T09:15:00+00:00",
      actorName: "Arbor sync",
      action: "staff.sync_refused",
      objectType: "Staff",
      objectName: "Dee Lead",
      changes: [{ field: "email", from: "dsl@alpha.example", to: "someone@elsewhere.example" }],
      note: "MIS record S2: This record would change the e-mail address of an account that has signed in.",
    },
  ],
  pageInfo: { hasNextPage: false, endCursor: null },
};

interface Sent {
  query: string;
  variables: Record<string, unknown>;
}

/** Answers the current-user and settings queries; records every operation sent. */
function server(me: typeof ME) {
  const sent: Sent[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as Sent;
    sent.push(body);
    let data: unknown = { me, school: { name: "Alpha Academy" } };
    if (body.query.includes("settingsCategories")) {
      data = { settingsCategories: me.isSchoolAdmin ? CATEGORIES : null };
    } else if (body.query.includes("createCategory")) {
      data = { createCategory: { category: { id: "c3" }, errors: [] } };
    } else if (body.query.includes("reorderCategories")) {
      data = { reorderCategories: { categories: [], errors: [] } };
    } else if (body.query.includes("settingsChanges")) {
      data = { settingsChanges: me.isSchoolAdmin ? CHANGES : null };
    }
    return new Response(JSON.stringify({ data }), {
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fetch: fetchImpl as unknown as typeof fetch, sent };
}

beforeEach(() => {
  document.cookie = "haven-csrf=token";
});

afterEach(() => {
  document.cookie = "haven-csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

describe("settings", () => {
  it("are linked from the header for school admins only", async () => {
    window.history.pushState({}, "", "/");
    const teacher = server({ ...ME, isSchoolAdmin: false });
    const { unmount } = render(<App config={CONFIG} fetchImpl={teacher.fetch} />);
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(within(nav).queryByRole("link", { name: "Settings" })).toBeNull();
    unmount();

    const admin = server(ME);
    render(<App config={CONFIG} fetchImpl={admin.fetch} />);
    const adminNav = await screen.findByRole("navigation", { name: "Main" });
    expect(within(adminNav).getByRole("link", { name: "Settings" })).toHaveAttribute(
      "href",
      "/settings",
    );
  });

  it("offer every settings screen in the sub-navigation", async () => {
    window.history.pushState({}, "", "/settings");
    render(<App config={CONFIG} fetchImpl={server(ME).fetch} />);
    expect(await screen.findByRole("heading", { level: 1, name: "Categories" })).toBeVisible();
    const nav = screen.getByRole("navigation", { name: "Settings" });
    const links = within(nav)
      .getAllByRole("link")
      .map((link) => [link.textContent, link.getAttribute("href")]);
    expect(links).toEqual([
      ["Categories", "/settings/categories"],
      ["Alert groups", "/settings/alert-groups"],
      ["Agencies", "/settings/agencies"],
      ["Access levels", "/settings/access-levels"],
      ["Staff", "/settings/staff"],
      ["API clients", "/settings/api-clients"],
      ["Change history", "/settings/history"],
    ]);
  });

  it("list a refused MIS sync change in the change history, with its reason", async () => {
    window.history.pushState({}, "", "/settings/history");
    render(<App config={CONFIG} fetchImpl={server(ME).fetch} />);
    const line = await screen.findByText(/was refused a change \(MIS sync\) to/);
    expect(line).toHaveTextContent("Arbor sync was refused a change (MIS sync) to staff Dee Lead");
    expect(screen.getByText(/^MIS record S2: This record would change/)).toBeVisible();
    expect(screen.getByText("someone@elsewhere.example")).toBeVisible();
  });

  it("show a category's state and offer delete only when nothing uses it", async () => {
    window.history.pushState({}, "", "/settings/categories");
    render(<App config={CONFIG} fetchImpl={server(ME).fetch} />);
    const bullying = await screen.findByRole("listitem", { name: "Bullying" });
    expect(within(bullying).getByText("In use: it can be deactivated, not deleted.")).toBeVisible();
    expect(within(bullying).queryByRole("button", { name: "Delete Bullying" })).toBeNull();
    expect(within(bullying).getByRole("button", { name: "Delete Online" })).toBeVisible();
    const prevent = screen.getByRole("listitem", { name: "Prevent" });
    expect(within(prevent).getByText("Inactive")).toBeVisible();
    expect(within(prevent).getByText("DSL team only")).toBeVisible();
    expect(within(prevent).getByRole("button", { name: "Reactivate Prevent" })).toBeVisible();
    expect(within(prevent).getByRole("button", { name: "Delete Prevent" })).toBeVisible();
  });

  it("refuse a pale colour next to the field, keep what was typed, and send nothing", async () => {
    window.history.pushState({}, "", "/settings/categories");
    const backend = server(ME);
    render(<App config={CONFIG} fetchImpl={backend.fetch} />);
    const user = userEvent.setup();
    const add = await screen.findByRole("region", { name: "Add a category" });
    await user.type(within(add).getByLabelText("Name"), "Online Safety");
    const colour = within(add).getByLabelText("Colour", { exact: true });
    await user.clear(colour);
    await user.type(colour, "#f6ad55");
    expect(colour).toHaveAccessibleDescription(/contrast of only 1\.\d:1.*such as #9a6c35\./);
    // No unreadable chip is drawn; the darker suggestion is, and one click takes it.
    expect(within(add).getByText("White text would be hard to read on this colour.")).toBeVisible();
    expect(within(add).getByText("Online Safety")).toHaveStyle({
      backgroundColor: "rgb(154, 108, 53)",
    });
    expect(within(add).getByRole("button", { name: "Use #9a6c35 instead" })).toBeVisible();
    await user.click(within(add).getByRole("button", { name: "Add category" }));
    expect(backend.sent.some((op) => op.query.includes("createCategory"))).toBe(false);
    expect(within(add).getByLabelText("Name")).toHaveValue("Online Safety");

    await user.click(within(add).getByRole("button", { name: "Use #9a6c35 instead" }));
    expect(colour).toHaveValue("#9a6c35");
    expect(colour).not.toHaveAccessibleDescription(/contrast/);
    await user.click(within(add).getByRole("button", { name: "Add category" }));
    const created = backend.sent.find((op) => op.query.includes("createCategory"));
    expect(created?.variables).toEqual({
      input: { name: "Online Safety", colour: "#9a6c35", dslTeamOnly: false },
    });
  });

  it("reorder by sending the whole new order", async () => {
    window.history.pushState({}, "", "/settings/categories");
    const backend = server(ME);
    render(<App config={CONFIG} fetchImpl={backend.fetch} />);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Move Prevent up" }));
    const reorder = backend.sent.find((op) => op.query.includes("reorderCategories"));
    expect(reorder?.variables).toEqual({ ids: ["c2", "c1"] });
    expect(screen.getByRole("button", { name: "Move Bullying up" })).toHaveAttribute(
      "aria-disabled",
      "true",
    );
  });

  it("tell someone who is not an admin that settings are not for them", async () => {
    window.history.pushState({}, "", "/settings/categories");
    render(<App config={CONFIG} fetchImpl={server({ ...ME, isSchoolAdmin: false }).fetch} />);
    expect(
      await screen.findByText("Only school admins can change the school's settings."),
    ).toBeVisible();
    expect(screen.queryByRole("navigation", { name: "Settings" })).toBeNull();
  });
});
