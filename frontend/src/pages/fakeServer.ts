/**
 * For page tests: stands in for the GraphQL endpoint. Each operation is answered by the
 * handler named after it, and every request is recorded so a test can check what was sent.
 */
import { vi } from "vitest";

import type { AppConfig } from "../config";

export const TEST_CONFIG: AppConfig = {
  schoolName: "Alpha Academy",
  csrfCookieName: "haven-csrf",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 15 * 60,
  headerLinks: [],
  version: "0.1.0",
};

export const CHLOE = {
  email: "chloe@alpha.example",
  firstName: "Chloe",
  lastName: "Kelan",
  fullName: "Chloe Kelan",
  jobTitle: "Teacher",
  isKeyHolder: false,
  isSchoolAdmin: false,
  secondFactorPassed: false,
  hasKeyAccess: false,
};

export const KEY_HOLDER = {
  ...CHLOE,
  email: "dsl@alpha.example",
  firstName: "Dana",
  lastName: "Lead",
  fullName: "Dana Lead",
  jobTitle: "DSL",
  isKeyHolder: true,
  secondFactorPassed: true,
  hasKeyAccess: true,
};

export interface SentOperation {
  name: string;
  variables: Record<string, unknown>;
}

type Handler = (variables: Record<string, unknown>) => unknown;

export function fakeServer(
  me: typeof CHLOE,
  handlers: Record<string, Handler>,
  options: { offline?: readonly string[] } = {},
): { fetch: typeof fetch; sent: SentOperation[] } {
  const sent: SentOperation[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as {
      query: string;
      variables?: Record<string, unknown>;
    };
    const name = /(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? "";
    const variables = body.variables ?? {};
    sent.push({ name, variables });
    if (options.offline?.includes(name)) throw new TypeError("Failed to fetch");
    const data =
      name === "CurrentUser"
        ? { me, school: { name: "Alpha Academy" } }
        : (handlers[name]?.(variables) ?? null);
    return new Response(JSON.stringify({ data }), {
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fetch: fetchImpl as unknown as typeof fetch, sent };
}

export function openAt(path: string): void {
  window.history.pushState({}, "", path);
}

export const HANNAH = {
  __typename: "Student",
  id: "U3R1ZGVudDphbHBoYTox",
  firstName: "Hannah",
  lastName: "Greenwood",
  tutorGroup: "1B",
  yearGroup: "Year 1",
};

export const CHILD_PROTECTION = {
  __typename: "CategoryChip",
  id: "Q2F0ZWdvcnk6YWxwaGE6MQ==",
  name: "Child Protection",
  colour: "#b42318",
};

export const HOME_ISSUES = {
  __typename: "CategoryChip",
  id: "Q2F0ZWdvcnk6YWxwaGE6Mg==",
  name: "Home Issues",
  colour: "#6b46c1",
};

export const INCIDENT_ID = btoa("Incident:alpha:1");
export const OTHER_INCIDENT_ID = btoa("Incident:alpha:2");

export function daysAgo(days: number): string {
  return new Date(Date.now() - days * 24 * 60 * 60 * 1000 - 60_000).toISOString();
}
