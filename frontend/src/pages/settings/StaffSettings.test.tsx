import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { Provider as GraphqlProvider } from "urql";
import { describe, expect, it, vi } from "vitest";

import { createGraphqlClient } from "../../api/client";
import { ConfigContext } from "../../components/ConfigContext";
import type { AppConfig } from "../../config";
import { StaffSettings } from "./StaffSettings";

const CONFIG: AppConfig = {
  schoolName: "Alpha Academy",
  csrfCookieName: "haven-csrf",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 900,
  headerLinks: [],
  version: "0.1.0",
};

const DSL = {
  __typename: "SettingsStaffMember",
  id: "U3RhZmY6YWxwaGE6MQ==",
  email: "dsl@alpha.example",
  firstName: "Dana",
  lastName: "Lead",
  fullName: "Dana Lead",
  jobTitle: "DSL",
  isActive: true,
  isKeyHolder: true,
  isSchoolAdmin: true,
  accessLevel: { __typename: "StaffAccessLevel", id: "L1", name: "DSL" },
  alertGroups: [{ __typename: "StaffAlertGroup", id: "G1", name: "SLT" }],
  hasPassword: true,
  lastLogin: null,
  misId: null,
};

const LAST_ADMIN = "Haven needs at least one active school admin with key access.";

function server() {
  const sent: { query: string; variables: Record<string, unknown> }[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as {
      query: string;
      variables: Record<string, unknown>;
    };
    sent.push(body);
    let data: unknown = null;
    if (body.query.includes("query StaffFormChoices")) {
      data = {
        settingsAccessLevels: [{ __typename: "SettingsAccessLevel", id: "L1", name: "DSL" }],
        alertGroups: [
          { __typename: "AlertGroup", id: "G1", name: "SLT" },
          { __typename: "AlertGroup", id: "G2", name: "Teachers" },
        ],
      };
    } else if (body.query.includes("query SettingsStaffList")) {
      data = {
        settingsStaff: {
          __typename: "SettingsStaffConnection",
          nodes: [DSL],
          pageInfo: { __typename: "PageInfo", hasNextPage: false, endCursor: "x" },
        },
      };
    } else if (body.query.includes("mutation UpdateStaff")) {
      data = {
        updateStaff: {
          __typename: "StaffMemberPayload",
          staffMember: null,
          errors: [
            { __typename: "FieldError", field: "isSchoolAdmin", code: "last_admin", message: LAST_ADMIN },
          ],
        },
      };
    }
    return new Response(JSON.stringify({ data }), {
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fetch: fetchImpl as unknown as typeof fetch, sent };
}

describe("StaffSettings", () => {
  it("sends only the changed field and shows the last-admin refusal next to it", async () => {
    const { fetch, sent } = server();
    const user = userEvent.setup();
    render(
      <ConfigContext.Provider value={CONFIG}>
        <GraphqlProvider value={createGraphqlClient(CONFIG, fetch)}>
          <StaffSettings />
        </GraphqlProvider>
      </ConfigContext.Provider>,
    );

    await user.click(await screen.findByRole("button", { name: /^Edit\s*Dana Lead$/ }));
    expect(screen.getByRole("heading", { level: 1, name: "Edit Dana Lead" })).toBeInTheDocument();
    const alertGroups = screen.getByRole("group", { name: "Alert groups" });
    expect(within(alertGroups).getByLabelText("SLT")).toBeChecked();
    expect(within(alertGroups).getByLabelText("Teachers")).not.toBeChecked();

    const admin = screen.getByLabelText("School admin");
    await user.click(admin);
    await user.click(screen.getByRole("button", { name: "Save Changes" }));

    expect(await screen.findByText(LAST_ADMIN, { exact: false })).toBeInTheDocument();
    expect(admin).toHaveAccessibleDescription(expect.stringContaining(LAST_ADMIN));
    expect(admin).not.toBeChecked();
    const update = sent.find((body) => body.query.includes("mutation UpdateStaff"));
    expect(update?.variables).toEqual({ id: DSL.id, input: { isSchoolAdmin: false } });
  });

  it("checks the invitation form before sending it", async () => {
    const { fetch, sent } = server();
    const user = userEvent.setup();
    render(
      <ConfigContext.Provider value={CONFIG}>
        <GraphqlProvider value={createGraphqlClient(CONFIG, fetch)}>
          <StaffSettings />
        </GraphqlProvider>
      </ConfigContext.Provider>,
    );
    await user.click(await screen.findByRole("button", { name: "Invite Staff" }));
    await user.type(screen.getByLabelText("First name"), "Nia");
    await user.click(screen.getByRole("button", { name: "Send Invitation" }));
    expect(screen.getByLabelText("E-mail")).toHaveAccessibleDescription(
      "Enter their e-mail address.",
    );
    expect(screen.getByLabelText("First name")).toHaveValue("Nia");
    expect(sent.some((body) => body.query.includes("mutation InviteStaff"))).toBe(false);
  });
});
