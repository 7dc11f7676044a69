import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { App } from "../../App";
import { CURRENT_USER, TEST_CONFIG, fakeServer } from "../../test-support/fakeServer";

const ADMIN = {
  ...CURRENT_USER,
  fullName: "Sam Okafor",
  isKeyHolder: true,
  isSchoolAdmin: true,
  secondFactorPassed: true,
  hasKeyAccess: true,
};
const TOKEN = "haven_0123456789abcdef_s3cr3t";

const ARBOR = {
  id: "1",
  name: "Arbor sync",
  scopes: ["groups:write", "pupils:write"],
  keyId: "0123456789abcdef",
  createdBy: "Sam Okafor",
  createdAt: "2026-11-02T09:00:00Z",
  lastUsedAt: null,
  revokedAt: null,
  expiresAt: null as string | null,
  expired: false,
};

beforeEach(() => {
  document.cookie = "haven-csrf=token-from-cookie";
  window.history.pushState({}, "", "/settings/api-clients");
});

afterEach(() => {
  document.cookie = "haven-csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

describe("API clients", () => {
  it("shows a new token once, with a copy button, and never again", async () => {
    let clients: (typeof ARBOR)[] = [];
    const writeText = vi.fn(async () => undefined);
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const server = fakeServer(
      {
        ApiClients: () => ({ apiClients: clients }),
        CreateApiClient: ({ name, scopes }) => {
          if ((scopes as string[]).length === 0) {
            return {
              createApiClient: {
                apiClient: null,
                token: null,
                errors: [{ field: "scopes", code: "required", message: "Choose at least one scope." }],
              },
            };
          }
          clients = [{ ...ARBOR, name: String(name) }];
          return { createApiClient: { apiClient: { id: "1", name }, token: TOKEN, errors: [] } };
        },
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(await screen.findByText("There are no API clients yet.")).toBeVisible();

    await userEvent.type(screen.getByLabelText("Name"), "Arbor sync");
    await userEvent.click(screen.getByRole("button", { name: "Create API Client" }));
    expect(await screen.findByText("Choose at least one scope.")).toBeVisible();
    expect(screen.getByLabelText("Name")).toHaveValue("Arbor sync");

    await userEvent.click(screen.getByRole("checkbox", { name: /^pupils:write/ }));
    await userEvent.click(screen.getByRole("checkbox", { name: /^groups:write/ }));
    await userEvent.click(screen.getByRole("button", { name: "Create API Client" }));

    const token = await screen.findByRole("textbox", { name: "Token" });
    expect(token).toHaveValue(TOKEN);
    expect(screen.getByText(/You will not see it again/)).toBeVisible();
    expect(server.sent.at(-2)?.variables).toEqual({
      name: "Arbor sync",
      scopes: ["pupils:write", "groups:write"],
      expiresAt: null,
    });
    await userEvent.click(screen.getByRole("button", { name: "Copy Token" }));
    expect(writeText).toHaveBeenCalledWith(TOKEN);
    expect(await screen.findByText("Token copied.")).toBeVisible();

    await userEvent.click(screen.getByRole("button", { name: "I Have Copied It" }));
    expect(screen.queryByDisplayValue(TOKEN)).toBeNull();
    expect(screen.queryByText(TOKEN)).toBeNull();
    expect(screen.getByText("API client “Arbor sync” created.")).toBeVisible();
    const row = screen.getByRole("row", { name: /Arbor sync/ });
    expect(row).toHaveTextContent("pupils:write");
    expect(row).toHaveTextContent("Sam Okafor");
    expect(row).toHaveTextContent("Never");
  });

  it("offers an expiry for a new token and shows when each token expires, or expired", async () => {
    const server = fakeServer(
      {
        ApiClients: () => ({
          apiClients: [
            { ...ARBOR, expiresAt: "2026-12-01T09:00:00Z", expired: false },
            {
              ...ARBOR,
              id: "2",
              name: "Old sync",
              keyId: "fedcba9876543210",
              expiresAt: "2026-11-03T10:00:00Z",
              expired: true,
            },
          ],
        }),
        CreateApiClient: ({ name }) => ({
          createApiClient: { apiClient: { id: "3", name }, token: TOKEN, errors: [] },
        }),
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    const arbor = await screen.findByRole("row", { name: /Arbor sync/ });
    expect(arbor).toHaveTextContent("Tue 01/12/2026 09:00");
    expect(arbor).toHaveTextContent("Active");
    const old = screen.getByRole("row", { name: /Old sync/ });
    expect(old).toHaveTextContent("Expired Tue 03/11/2026 10:00");
    expect(old).not.toHaveTextContent("Active");

    const expires = screen.getByRole("combobox", { name: "Token expires" });
    expect(expires).toHaveValue("never");
    await userEvent.type(screen.getByLabelText("Name"), "Bromcom sync");
    await userEvent.click(screen.getByRole("checkbox", { name: /^staff:write/ }));
    await userEvent.selectOptions(expires, "In 90 days");
    const before = Date.now();
    await userEvent.click(screen.getByRole("button", { name: "Create API Client" }));
    await screen.findByRole("textbox", { name: "Token" });
    const sent = server.sent.find((s) => s.operationName === "CreateApiClient")?.variables;
    const days = (Date.parse(String(sent?.expiresAt)) - before) / (24 * 60 * 60 * 1000);
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThan(90.1);
  });

  it("revokes only after confirmation", async () => {
    let revoked = false;
    const server = fakeServer(
      {
        ApiClients: () => ({
          apiClients: [{ ...ARBOR, revokedAt: revoked ? "2026-11-03T10:00:00Z" : null }],
        }),
        RevokeApiClient: () => {
          revoked = true;
          return {
            revokeApiClient: { apiClient: { id: "1", revokedAt: "2026-11-03T10:00:00Z" }, errors: [] },
          };
        },
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await userEvent.click(await screen.findByRole("button", { name: "Revoke Arbor sync" }));
    const confirm = screen.getByRole("group", { name: "Revoke Arbor sync" });
    expect(within(confirm).getByRole("button", { name: "Cancel" })).toHaveFocus();
    expect(server.sent.some((s) => s.operationName === "RevokeApiClient")).toBe(false);
    await userEvent.click(within(confirm).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText(/revoked: its token no longer works/)).toBeVisible();
    expect(await screen.findByText("Revoked Tue 03/11/2026 10:00")).toBeVisible();
    expect(screen.queryByRole("button", { name: "Revoke Arbor sync" })).toBeNull();
  });

  it("asks for the password again when the server wants it, then creates the client", async () => {
    const creations: unknown[] = [];
    let reauthenticated = false;
    const server = fakeServer(
      {
        ApiClients: () => ({ apiClients: [] }),
        CreateApiClient: (variables) => {
          creations.push(variables);
          if (!reauthenticated) {
            return {
              createApiClient: {
                apiClient: null,
                token: null,
                errors: [
                  {
                    field: "",
                    code: "reauthentication_required",
                    message: "Please enter your password again to continue.",
                  },
                ],
              },
            };
          }
          return { createApiClient: { apiClient: { id: "1", name: "Arbor sync" }, token: TOKEN, errors: [] } };
        },
        Reauthenticate: ({ password }) => {
          reauthenticated = password === "my long passphrase";
          return {
            reauthenticate: reauthenticated
              ? { ok: true, errors: [] }
              : {
                  ok: false,
                  errors: [{ field: "password", code: "invalid_password", message: "The password is incorrect." }],
                },
          };
        },
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await userEvent.type(await screen.findByLabelText("Name"), "Arbor sync");
    await userEvent.click(screen.getByRole("checkbox", { name: /^pupils:write/ }));
    await userEvent.click(screen.getByRole("button", { name: "Create API Client" }));

    const dialog = await screen.findByRole("dialog", { name: "Enter your password again" });
    const password = within(dialog).getByLabelText(/Your password/);
    expect(password).toHaveFocus();
    await userEvent.type(password, "not it");
    await userEvent.click(within(dialog).getByRole("button", { name: "Continue" }));
    expect(await within(dialog).findByText("The password is incorrect.")).toBeVisible();
    await userEvent.clear(password);
    await userEvent.type(password, "my long passphrase");
    await userEvent.click(within(dialog).getByRole("button", { name: "Continue" }));

    expect(await screen.findByRole("textbox", { name: "Token" })).toHaveValue(TOKEN);
    expect(screen.queryByRole("dialog")).toBeNull();
    expect(creations).toEqual([
      { name: "Arbor sync", scopes: ["pupils:write"], expiresAt: null },
      { name: "Arbor sync", scopes: ["pupils:write"], expiresAt: null },
    ]);
  });

  it("tells an admin without a passed second factor how to get one, asking for no settings", async () => {
    const server = fakeServer({}, { ...ADMIN, secondFactorPassed: false, hasKeyAccess: false });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    const message = await screen.findByText(/School admins need two-step sign-in before they can change/);
    expect(message).toBeVisible();
    const alert = message.closest("[role=alert]") as HTMLElement;
    expect(within(alert).getByRole("link", { name: "Account Settings" })).toHaveAttribute(
      "href",
      "/account#second-factors",
    );
    expect(server.sent.some((s) => s.operationName === "ApiClients")).toBe(false);
  });

  it("tells staff who are not admins that this is for admins, asking the server nothing", async () => {
    const server = fakeServer({});
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    expect(await screen.findByText("Only school admins can change the school's settings.")).toBeVisible();
    expect(server.sent.some((s) => s.operationName === "ApiClients")).toBe(false);
  });
});
