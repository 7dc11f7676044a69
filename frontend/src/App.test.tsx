import { act, fireEvent, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "./App";
import type { AppConfig } from "./config";

const CONFIG: AppConfig = {
  schoolName: "Alpha Academy",
  // jsdom serves plain http, where browsers refuse __Host- cookies; the name comes from config.
  csrfCookieName: "haven-csrf",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 15 * 60,
  headerLinks: [{ label: "Contact Support", href: "mailto:support@example.org" }],
  version: "1.2.3",
};

const CHLOE = {
  email: "chloe@alpha.example",
  firstName: "Chloe",
  lastName: "Kelan",
  fullName: "Chloe Kelan",
  jobTitle: "Teacher",
  isKeyHolder: false,
  isSchoolAdmin: false,
  hasKeyAccess: false,
};

interface Sent {
  body: { query: string; variables: unknown };
  headers: Record<string, string>;
  method: string;
}

/** Stands in for the network: answers the current-user query and records what was sent. */
function serverWith(me: typeof CHLOE | null): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      body: JSON.parse(String(init?.body)),
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      method: init?.method ?? "GET",
    });
    return new Response(JSON.stringify({ data: { me, school: { name: "Alpha Academy" } } }), {
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fetch: fetchImpl as unknown as typeof fetch, sent };
}

function openAt(path: string): void {
  window.history.pushState({}, "", path);
}

beforeEach(() => {
  document.cookie = "haven-csrf=token-from-cookie";
});

afterEach(() => {
  document.cookie = "haven-csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

describe("signed in", () => {
  it("shows the header of the guide on the dashboard with the person signed in", async () => {
    openAt("/");
    const server = serverWith(CHLOE);
    render(<App config={CONFIG} fetchImpl={server.fetch} />);

    expect(await screen.findByRole("heading", { level: 1, name: "Dashboard" })).toBeVisible();
    expect(screen.getByText(/Signed in as/)).toHaveTextContent("Signed in as Chloe Kelan, Teacher.");
    expect(
      screen.getByText(
        "It is your responsibility to log out and protect the security of student information.",
      ),
    ).toBeVisible();
    const nav = screen.getByRole("navigation", { name: "Main" });
    expect(within(nav).getByText("Alpha Academy")).toBeVisible();
    for (const label of ["Dashboard", "Add Incident", "Library", "Account Settings"]) {
      expect(within(nav).getByRole("link", { name: label })).toBeVisible();
    }
    expect(within(nav).getByRole("button", { name: "Logout" })).toBeVisible();
    expect(within(nav).getByRole("link", { name: "Dashboard" })).toHaveAttribute(
      "aria-current",
      "page",
    );
    expect(screen.getByRole("link", { name: "Contact Support" })).toHaveAttribute(
      "href",
      "mailto:support@example.org",
    );
    expect(screen.getByRole("main")).toBeInTheDocument();
    expect(screen.getByRole("banner")).toBeInTheDocument();
    expect(document.title).toBe("Dashboard - Alpha Academy - Haven");
    const footer = screen.getByRole("contentinfo");
    expect(footer).toHaveTextContent(
      `© ${new Date().getFullYear()} Alpha Academy · Haven 1.2.3 · Cookie policy · Privacy notice`,
    );
    expect(within(footer).getByRole("link", { name: "Cookie policy" })).toHaveAttribute(
      "href",
      "/cookies",
    );
    expect(within(footer).getByRole("link", { name: "Privacy notice" })).toHaveAttribute(
      "href",
      "/privacy",
    );
  });

  it("asks over POST with the CSRF token from the configured cookie", async () => {
    openAt("/");
    const server = serverWith(CHLOE);
    render(<App config={CONFIG} fetchImpl={server.fetch} />);
    await screen.findByRole("heading", { name: "Dashboard" });
    expect(server.sent[0]?.method).toBe("POST");
    expect(server.sent[0]?.headers["x-csrftoken"]).toBe("token-from-cookie");
    expect(server.sent[0]?.body.query).toContain("me");
  });

  it("moves focus to the new page's heading after following a link", async () => {
    openAt("/");
    render(<App config={CONFIG} fetchImpl={serverWith(CHLOE).fetch} />);
    await screen.findByRole("heading", { name: "Dashboard" });
    await userEvent.click(screen.getByRole("link", { name: "Library" }));
    const heading = await screen.findByRole("heading", { level: 1, name: "Library" });
    expect(heading).toHaveFocus();
  });

  it("toggles Hide Names and keeps the choice for the next page", async () => {
    openAt("/");
    const { unmount } = render(<App config={CONFIG} fetchImpl={serverWith(CHLOE).fetch} />);
    await userEvent.click(await screen.findByRole("button", { name: "Hide Names" }));
    expect(screen.getByRole("button", { name: "Show Names" })).toBeVisible();
    unmount();

    openAt("/library");
    render(<App config={CONFIG} fetchImpl={serverWith(CHLOE).fetch} />);
    expect(await screen.findByRole("button", { name: "Show Names" })).toBeVisible();
  });
});

describe("Blank Screen", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("covers the page from the button, and a key brings back what was typed with focus", async () => {
    openAt("/");
    render(<App config={CONFIG} fetchImpl={serverWith(CHLOE).fetch} />);
    await screen.findByRole("heading", { name: "Dashboard" });
    // Any field on the page will do: the cover must leave it exactly as it was.
    const main = screen.getByRole("main");
    const input = document.createElement("input");
    input.setAttribute("aria-label", "Notes");
    main.append(input);
    await userEvent.type(input, "Hannah was upset");

    await userEvent.click(screen.getByRole("button", { name: "Blank Screen" }));
    const cover = screen.getByTestId("blank-screen");
    expect(cover).toHaveFocus();
    expect(document.querySelector(".app-frame")).toHaveAttribute("inert");

    await userEvent.keyboard("x");
    expect(screen.queryByTestId("blank-screen")).not.toBeInTheDocument();
    expect(input).toHaveValue("Hannah was upset");
    // Focus goes back to what had it: the Blank Screen button the person pressed.
    expect(screen.getByRole("button", { name: "Blank Screen" })).toHaveFocus();
  });

  it("comes on by itself after fifteen minutes without activity, and a click removes it", async () => {
    openAt("/");
    render(<App config={CONFIG} fetchImpl={serverWith(CHLOE).fetch} />);
    await screen.findByRole("heading", { name: "Dashboard" });
    // Let the dashboard's own reads finish first: nothing may re-render the page once the
    // clock is fake, however slow the machine running the tests.
    await screen.findByText("You have no unread alerts.");
    await screen.findByText("You have not logged any incidents or actions in the last 7 days.");
    vi.useFakeTimers();
    // The timer started with the page; restart it under the fake clock.
    fireEvent.keyDown(window, { key: "Shift" });

    act(() => {
      vi.advanceTimersByTime(14 * 60 * 1000 + 59 * 1000);
    });
    expect(screen.queryByTestId("blank-screen")).not.toBeInTheDocument();
    fireEvent.pointerMove(document.body);
    act(() => {
      vi.advanceTimersByTime(14 * 60 * 1000);
    });
    expect(screen.queryByTestId("blank-screen")).not.toBeInTheDocument();
    act(() => {
      vi.advanceTimersByTime(60 * 1000);
    });
    expect(screen.getByTestId("blank-screen")).toBeInTheDocument();

    fireEvent.click(screen.getByTestId("blank-screen"));
    expect(screen.queryByTestId("blank-screen")).not.toBeInTheDocument();
    expect(screen.getByRole("heading", { name: "Dashboard" })).toBeInTheDocument();
  });
});

describe("signed out", () => {
  it("sends a person to Login, with the first-time link below the button", async () => {
    openAt("/add-incident");
    render(<App config={CONFIG} fetchImpl={serverWith(null).fetch} />);
    expect(await screen.findByRole("heading", { level: 1, name: "Login" })).toBeVisible();
    expect(window.location.pathname).toBe("/login");
    expect(new URLSearchParams(window.location.search).get("next")).toBe("/add-incident");
    expect(screen.getByLabelText("Email address")).toBeVisible();
    expect(screen.getByLabelText("Password")).toHaveAttribute("type", "password");
    expect(screen.getByRole("button", { name: "Login" })).toBeVisible();
    expect(
      screen.getByText(
        "It is your responsibility to log out and protect the security of student information.",
      ),
    ).toBeVisible();

    await userEvent.click(
      screen.getByRole("link", {
        name: "Forgotten your password or using Haven for the first time?",
      }),
    );
    expect(await screen.findByRole("heading", { name: "Reset Password" })).toHaveFocus();
    expect(screen.getByRole("button", { name: "Reset Password" })).toBeVisible();
  });

  it("checks the two new passwords match before sending anything", async () => {
    openAt("/set-password/MQ/abc-123");
    const server = serverWith(null);
    render(<App config={CONFIG} fetchImpl={server.fetch} />);
    await userEvent.type(await screen.findByLabelText("New password"), "correct horse battery");
    await userEvent.type(screen.getByLabelText("Confirm new password"), "correct horse battery!");
    await userEvent.click(screen.getByRole("button", { name: "Set Password" }));
    const confirmation = screen.getByLabelText("Confirm new password");
    expect(confirmation).toHaveAttribute("aria-invalid", "true");
    expect(confirmation).toHaveAccessibleDescription("The two passwords are not the same.");
    expect(screen.getByLabelText("New password")).toHaveValue("correct horse battery");
    expect(server.sent).toHaveLength(0);
  });
});
