import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { App } from "../../App";
import { type Handlers, TEST_CONFIG, fakeServer } from "../../test-support/fakeServer";

const ACCOUNT = {
  mySecondFactors: [],
  notificationPreferences: { alertEmails: true },
  mySessions: [
    {
      id: "s-1",
      createdAt: "2026-11-02T08:00:00Z",
      lastSeenAt: "2026-11-02T09:00:00Z",
      ipAddress: "10.0.0.5",
      userAgent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/130.0 Safari/537.36",
      current: true,
    },
    {
      id: "s-2",
      createdAt: "2026-10-30T07:00:00Z",
      lastSeenAt: "2026-11-01T16:30:00Z",
      ipAddress: "81.2.69.160",
      userAgent: "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1",
      current: false,
    },
  ],
};

function openAccount(handlers: Handlers) {
  const server = fakeServer({ AccountSettings: () => ACCOUNT, ...handlers });
  render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
  return server;
}

beforeEach(() => {
  document.cookie = "haven-csrf=token-from-cookie";
  window.history.pushState({}, "", "/account");
});

afterEach(() => {
  document.cookie = "haven-csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

describe("Change password", () => {
  it("checks the two new passwords match before sending anything", async () => {
    const server = openAccount({});
    const form = await screen.findByRole("region", { name: "Change password" });
    await userEvent.type(within(form).getByLabelText("Current password"), "old-password-1");
    await userEvent.type(within(form).getByLabelText("New password"), "Kestrel-harbour-42");
    await userEvent.type(within(form).getByLabelText("Confirm new password"), "Kestrel-harbour-43");
    await userEvent.click(within(form).getByRole("button", { name: "Change Password" }));
    expect(within(form).getByLabelText("Confirm new password")).toHaveAccessibleDescription(
      "The two new passwords are not the same.",
    );
    expect(server.sent.some((sent) => sent.operationName === "ChangePassword")).toBe(false);
  });

  it("shows the server's password rules next to the field and keeps what was typed", async () => {
    openAccount({
      ChangePassword: () => ({
        changePassword: {
          ok: false,
          errors: [
            {
              field: "newPassword",
              code: "password_too_common",
              message: "This password is too common.",
            },
          ],
        },
      }),
    });
    const form = await screen.findByRole("region", { name: "Change password" });
    await userEvent.type(within(form).getByLabelText("Current password"), "old-password-1");
    await userEvent.type(within(form).getByLabelText("New password"), "password1234");
    await userEvent.type(within(form).getByLabelText("Confirm new password"), "password1234");
    await userEvent.click(within(form).getByRole("button", { name: "Change Password" }));
    const field = within(form).getByLabelText("New password");
    expect(await within(form).findByText("This password is too common.")).toBeVisible();
    expect(field).toHaveAccessibleDescription(/This password is too common\./);
    expect(field).toHaveAttribute("aria-invalid", "true");
    expect(within(form).getByLabelText("Current password")).toHaveValue("old-password-1");
  });

  it("offers Login in a new tab when the session has ended, keeping the form", async () => {
    openAccount({
      ChangePassword: () => ({
        changePassword: {
          ok: false,
          errors: [{ field: null, code: "not_signed_in", message: "Please sign in." }],
        },
      }),
    });
    const form = await screen.findByRole("region", { name: "Change password" });
    await userEvent.type(within(form).getByLabelText("Current password"), "old-password-1");
    await userEvent.type(within(form).getByLabelText("New password"), "Kestrel-harbour-42");
    await userEvent.type(within(form).getByLabelText("Confirm new password"), "Kestrel-harbour-42");
    await userEvent.click(within(form).getByRole("button", { name: "Change Password" }));
    expect(await within(form).findByText(/You have been signed out/)).toBeVisible();
    const login = within(form).getByRole("link", { name: "Log in again (opens a new tab)" });
    expect(login).toHaveAttribute("target", "_blank");
    expect(login).toHaveAttribute("href", "/login?next=%2Faccount");
    expect(within(form).getByLabelText("New password")).toHaveValue("Kestrel-harbour-42");
  });
});

describe("Two-step sign-in", () => {
  it("asks for the password again when the server wants it, then carries on", async () => {
    let reauthenticated = false;
    const server = openAccount({
      BeginTotpEnrolment: () => ({
        beginTotpEnrolment: reauthenticated
          ? {
              otpauthUri: "otpauth://totp/Haven:wendy%40alpha.example?secret=JBSWY3DPEHPK3PXP",
              secret: "JBSWY3DPEHPK3PXP",
              qrCodeSvg: '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"></svg>',
              errors: [],
            }
          : {
              otpauthUri: null,
              secret: null,
              qrCodeSvg: null,
              errors: [
                {
                  field: null,
                  code: "reauthentication_required",
                  message: "Please enter your password again.",
                },
              ],
            },
      }),
      Reauthenticate: () => {
        reauthenticated = true;
        return { reauthenticate: { ok: true, errors: [] } };
      },
      ConfirmTotpEnrolment: ({ code }) => ({
        confirmTotpEnrolment:
          code === "123456"
            ? { ok: true, errors: [] }
            : {
                ok: false,
                errors: [
                  { field: "code", code: "invalid_code", message: "That code is not right." },
                ],
              },
      }),
      GenerateRecoveryCodes: () => ({
        generateRecoveryCodes: { codes: ["aaaa-bbbb", "cccc-dddd"], errors: [] },
      }),
    });
    const section = await screen.findByRole("region", { name: "Two-step sign-in" });
    await userEvent.click(within(section).getByRole("button", { name: "Add Authenticator App" }));

    const password = await within(section).findByLabelText("Your password");
    expect(password).toHaveFocus();
    await userEvent.type(password, "my-password{Enter}");

    expect(await within(section).findByText("JBSW Y3DP EHPK 3PXP")).toBeVisible();
    expect(within(section).getByText(/otpauth:\/\/totp\/Haven/)).toBeVisible();
    const qrCode = within(section).getByRole("img", { name: "QR code for your authenticator app" });
    expect(qrCode).toBeVisible();
    expect(qrCode).toHaveAttribute(
      "src",
      "data:image/svg+xml;utf8,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%20width%3D%228%22%20height%3D%228%22%3E%3C%2Fsvg%3E",
    );
    const code = within(section).getByLabelText("6-digit code from the app");
    await userEvent.type(code, "000000{Enter}");
    expect(await within(section).findByText("That code is not right.")).toBeVisible();
    expect(code).toHaveValue("000000");

    await userEvent.clear(code);
    await userEvent.type(code, "123 456{Enter}");
    const codes = await within(section).findByRole("region", { name: "Your recovery codes" });
    expect(within(codes).getByText("aaaa-bbbb")).toBeVisible();
    expect(within(codes).getByText(/You will not see them again/)).toBeVisible();
    expect(server.sent.filter((s) => s.operationName === "BeginTotpEnrolment")).toHaveLength(2);
    expect(server.sent.find((s) => s.operationName === "ConfirmTotpEnrolment" && s.variables.code === "123456")).toBeDefined();

    await userEvent.click(within(codes).getByRole("button", { name: "I Have Saved Them" }));
    expect(within(section).queryByText("aaaa-bbbb")).toBeNull();
  });
});

describe("Alert e-mails and sessions", () => {
  it("saves the alert e-mail choice, and puts it back if saving fails", async () => {
    let calls = 0;
    openAccount({
      UpdateNotificationPreferences: ({ alertEmails }) => {
        calls += 1;
        if (calls === 2) return new TypeError("Failed to fetch");
        return { notificationPreferencesUpdate: { alertEmails } };
      },
    });
    const box = await screen.findByRole("checkbox", { name: "E-mail me when I am alerted" });
    expect(box).toBeChecked();
    await userEvent.click(box);
    expect(await screen.findByText(/you will no longer get alert e-mails/)).toBeVisible();
    expect(box).not.toBeChecked();

    await userEvent.click(box);
    expect(await screen.findByText(/Haven could not be reached/)).toBeVisible();
    expect(box).not.toBeChecked();
  });

  it("lists sessions with this device marked, and ends another one", async () => {
    const server = openAccount({ EndSession: () => ({ endSession: { ok: true, errors: [] } }) });
    const section = await screen.findByRole("region", { name: "Where you are signed in" });
    const rows = within(section).getAllByRole("row");
    expect(rows[1]).toHaveTextContent("Chrome on Windows");
    expect(rows[1]).toHaveTextContent("This device");
    expect(rows[2]).toHaveTextContent("Safari on iPhone or iPad");
    expect(rows[2]).toHaveTextContent("81.2.69.160");
    expect(rows[2]).toHaveTextContent("Sun 01/11/2026 16:30");
    expect(within(section).getAllByRole("button")).toHaveLength(1);

    await userEvent.click(
      within(section).getByRole("button", {
        name: "End Session on Safari on iPhone or iPad, last active Sun 01/11/2026 16:30",
      }),
    );
    expect(
      await within(section).findByText("Session ended: Safari on iPhone or iPad is signed out."),
    ).toBeVisible();
    expect(server.sent.find((s) => s.operationName === "EndSession")?.variables).toEqual({ id: "s-2" });
  });
});

describe("Key holders without a second factor", () => {
  it("are told to add one", async () => {
    const server = fakeServer({
      AccountSettings: () => ({ ...ACCOUNT, me: { mustEnrolSecondFactor: true } }),
    });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    const section = await screen.findByRole("region", { name: "Two-step sign-in" });
    expect(
      await within(section).findByText(/Your account has key access or school admin rights, which need a second step/),
    ).toBeVisible();
  });
});
