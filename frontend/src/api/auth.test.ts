import { describe, expect, it, vi } from "vitest";

import type { AppConfig } from "../config";
import { SERVER_ERROR_MESSAGE, UNAVAILABLE_MESSAGE, login, resetPassword } from "./auth";
import { createGraphqlClient } from "./client";

const CONFIG: AppConfig = {
  schoolName: "Alpha Academy",
  csrfCookieName: "csrftoken",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 900,
  headerLinks: [],
  version: "0.1.0",
};

function answering(body: unknown): { fetch: typeof fetch; bodies: unknown[] } {
  const bodies: unknown[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    bodies.push(JSON.parse(String(init?.body)));
    return new Response(JSON.stringify(body), { headers: { "Content-Type": "application/json" } });
  });
  return { fetch: fetchImpl as unknown as typeof fetch, bodies };
}

describe("auth", () => {
  it("passes field errors through for the form to show next to each field", async () => {
    const server = answering({
      data: {
        login: {
          me: null,
          secondFactorRequired: false,
          mustEnrolSecondFactor: false,
          errors: [{ field: null, code: "invalid", message: "Email or password is wrong." }],
        },
      },
    });
    const result = await login(createGraphqlClient(CONFIG, server.fetch), "a@b.c", "pw");
    expect(result).toEqual({
      ok: false,
      secondFactorRequired: false,
      mustEnrolSecondFactor: false,
      errors: [{ field: null, code: "invalid", message: "Email or password is wrong." }],
    });
    expect(server.bodies[0]).toMatchObject({
      variables: { email: "a@b.c", password: "pw" },
    });
  });

  it("counts a login as done when the payload names the person", async () => {
    const server = answering({
      data: {
        login: {
          me: { fullName: "Dawn Lee" },
          secondFactorRequired: true,
          mustEnrolSecondFactor: false,
          errors: [],
        },
      },
    });
    const result = await login(createGraphqlClient(CONFIG, server.fetch), "dsl@a.b", "pw");
    expect(result).toMatchObject({ ok: true, secondFactorRequired: true });
  });

  it("sends the reset link's uid and token with the new password", async () => {
    const server = answering({ data: { resetPassword: { ok: true, errors: [] } } });
    const result = await resetPassword(
      createGraphqlClient(CONFIG, server.fetch),
      "MQ",
      "tok",
      "a long new password",
    );
    expect(result.ok).toBe(true);
    expect(server.bodies[0]).toMatchObject({
      variables: { uid: "MQ", token: "tok", newPassword: "a long new password" },
    });
  });

  it("turns a GraphQL error into a message for the whole form", async () => {
    const server = answering({ errors: [{ message: "Cannot query field 'login'" }] });
    const result = await login(createGraphqlClient(CONFIG, server.fetch), "a@b.c", "pw");
    expect(result.ok).toBe(false);
    expect(result.errors).toEqual([
      { field: null, code: "server_error", message: SERVER_ERROR_MESSAGE },
    ]);
  });

  it("says when Haven cannot be reached", async () => {
    const offline = vi.fn(async () => {
      throw new TypeError("Failed to fetch");
    }) as unknown as typeof fetch;
    const result = await login(createGraphqlClient(CONFIG, offline), "a@b.c", "pw");
    expect(result.errors[0]?.message).toBe(UNAVAILABLE_MESSAGE);
  });
});
