/** A stand-in GraphQL server for the record-form unit tests (not part of the app build). */
import type { ReactNode } from "react";
import { MemoryRouter, Route, Routes, useLocation } from "react-router";
import { Provider } from "urql";
import { vi } from "vitest";

import { createGraphqlClient } from "../../api/client";
import type { AppConfig } from "../../config";
import { ConfigContext } from "../ConfigContext";
import { RequireSignIn } from "../CurrentUser";

export const TEST_CONFIG: AppConfig = {
  schoolName: "Alpha Academy",
  csrfCookieName: "haven-csrf",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 900,
  headerLinks: [],
  version: "0.1.0",
};

export interface Sent {
  operationName: string;
  variables: Record<string, unknown>;
}

type Answer = unknown | ((variables: Record<string, unknown>) => unknown);

function operationName(query: string): string {
  return /(?:query|mutation)\s+(\w+)/.exec(query)?.[1] ?? "";
}

/**
 * Answers each operation by name with `{data: ...}`; an answer that is an Error stands for
 * the network failing, a Response is sent as it is.
 */
export const CHLOE = {
  email: "chloe@alpha.example",
  firstName: "Chloe",
  lastName: "Kelan",
  fullName: "Chloe Kelan",
  jobTitle: "Teacher",
  isKeyHolder: false,
  isSchoolAdmin: false,
  hasKeyAccess: false,
};

export function fakeServer(given: Record<string, Answer>): { fetch: typeof fetch; sent: Sent[] } {
  const answers: Record<string, Answer> = {
    CurrentUser: { me: CHLOE, school: { name: "Alpha Academy" } },
    ...given,
  };
  const sent: Sent[] = [];
  const fetchImpl = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Record<string, unknown> };
    const name = operationName(body.query);
    sent.push({ operationName: name, variables: body.variables });
    const entry = answers[name];
    const answer = typeof entry === "function" ? (entry as (v: Record<string, unknown>) => unknown)(body.variables) : entry;
    if (answer instanceof Error) throw answer;
    if (answer instanceof Response) return answer;
    return new Response(JSON.stringify({ data: answer ?? null }), {
      headers: { "Content-Type": "application/json" },
    });
  });
  return { fetch: fetchImpl as unknown as typeof fetch, sent };
}

function Where() {
  const location = useLocation();
  return <p data-testid="location">{location.pathname}</p>;
}

export function renderWith(
  server: { fetch: typeof fetch },
  children: ReactNode,
  { path = "/", route = "/" }: { path?: string; route?: string } = {},
) {
  const client = createGraphqlClient(TEST_CONFIG, server.fetch);
  return (
    <ConfigContext.Provider value={TEST_CONFIG}>
      <Provider value={client}>
        <MemoryRouter initialEntries={[path]}>
          <Routes>
            <Route path={route} element={<RequireSignIn>{children}</RequireSignIn>} />
            <Route path="*" element={<Where />} />
          </Routes>
        </MemoryRouter>
      </Provider>
    </ConfigContext.Provider>
  );
}

export const STUDENTS = {
  students: {
    edges: [
      { node: { id: "S1", displayName: "Hannah Greenwood (1B)", firstName: "Hannah", lastName: "Greenwood", tutorGroup: "1B" } },
      { node: { id: "S2", displayName: "Matthew Greenwood (5B)", firstName: "Matthew", lastName: "Greenwood", tutorGroup: "5B" } },
    ],
  },
};

export const CATEGORIES = {
  categories: [
    { id: "C1", name: "Behaviour", colour: "#8a4b08", subcategories: [] },
    {
      id: "C2",
      name: "Child Protection",
      colour: "#c0392b",
      subcategories: [
        { id: "SC1", name: "CAF" },
        { id: "SC2", name: "Cause for Concern" },
      ],
    },
  ],
};
