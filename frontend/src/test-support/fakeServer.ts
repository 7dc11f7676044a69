/** A stand-in GraphQL server for page tests: answers each operation by name, records calls. */
import { vi } from "vitest";

export interface SentOperation {
  operationName: string;
  variables: Record<string, unknown>;
  headers: Record<string, string>;
  /** For a multipart upload, the files sent, by their form field. */
  files: Record<string, File>;
}

type Answer = unknown | Response | Error;
export type Handlers = Record<string, (variables: Record<string, unknown>) => Answer>;

export const CURRENT_USER = {
  email: "wendy@alpha.example",
  firstName: "Wendy",
  lastName: "Abbott",
  fullName: "Wendy Abbott",
  jobTitle: "Teacher",
  isKeyHolder: false,
  isSchoolAdmin: false,
  secondFactorPassed: false,
  hasKeyAccess: false,
};

export function fakeServer(
  handlers: Handlers,
  me: typeof CURRENT_USER = CURRENT_USER,
): { fetch: typeof fetch; sent: SentOperation[] } {
  const sent: SentOperation[] = [];
  const all: Handlers = {
    CurrentUser: () => ({ me, school: { name: "Alpha Academy" } }),
    ...handlers,
  };
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    let operation: { operationName: string; variables: Record<string, unknown> };
    const files: Record<string, File> = {};
    if (init?.body instanceof FormData) {
      operation = JSON.parse(String(init.body.get("operations")));
      for (const [key, value] of init.body.entries()) {
        if (value instanceof File) files[key] = value;
      }
    } else {
      operation = JSON.parse(String(init?.body));
    }
    sent.push({
      operationName: operation.operationName,
      variables: operation.variables ?? {},
      headers: Object.fromEntries(new Headers(init?.headers).entries()),
      files,
    });
    const handler = all[operation.operationName];
    if (!handler) throw new Error(`no answer for ${operation.operationName}`);
    const answer = handler(operation.variables ?? {});
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify({ data: answer }), {
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fetch: fetchImpl as unknown as typeof fetch, sent };
}

export const TEST_CONFIG = {
  schoolName: "Alpha Academy",
  csrfCookieName: "haven-csrf",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 15 * 60,
  headerLinks: [],
  version: "0.1.0",
};
