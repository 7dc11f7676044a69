import { Client, cacheExchange, fetchExchange } from "urql";

import type { AppConfig } from "../config";
import { readCookie } from "./csrf";

/**
 * The one GraphQL client. The token is read at every request, not once: Django rotates it
 * at login, and a stale token would make the next mutation fail.
 */
export function createGraphqlClient(config: AppConfig, fetchImpl?: typeof fetch): Client {
  return new Client({
    url: config.graphqlUrl,
    ...(fetchImpl ? { fetch: fetchImpl } : {}),
    exchanges: [cacheExchange, fetchExchange],
    // Queries go by POST only: the server refuses GET so a link cannot run one.
    preferGetMethod: false,
    fetchOptions: () => {
      const token = readCookie(config.csrfCookieName);
      return {
        credentials: "same-origin",
        headers: token ? { "X-CSRFToken": token } : {},
      };
    },
  });
}
