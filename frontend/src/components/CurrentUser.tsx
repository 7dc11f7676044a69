import { type ReactNode, createContext, useContext } from "react";
import { Navigate, useLocation } from "react-router";
import { useQuery } from "urql";

import { CurrentUserQuery } from "../api/queries";
import type { CurrentUserQuery as CurrentUserResult } from "../gql/graphql";

export type CurrentUser = NonNullable<CurrentUserResult["me"]>;

const CurrentUserContext = createContext<CurrentUser | null>(null);

export function useCurrentUser(): CurrentUser {
  const me = useContext(CurrentUserContext);
  if (!me) throw new Error("useCurrentUser outside RequireSignIn");
  return me;
}

/** Pages for signed-in staff: anyone else is sent to Login, and comes back here after. */
export function RequireSignIn({ children }: { children: ReactNode }) {
  const location = useLocation();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: CurrentUserQuery,
    requestPolicy: "cache-and-network",
  });

  if (fetching && !data) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (error && !data) {
    return (
      <div className="page-message" role="alert">
        <p>Haven could not be reached. Check your connection, then try again.</p>
        <button type="button" onClick={() => refetch({ requestPolicy: "network-only" })}>
          Try again
        </button>
      </div>
    );
  }
  if (!data?.me) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={`/login?next=${encodeURIComponent(next)}`} replace />;
  }
  return <CurrentUserContext.Provider value={data.me}>{children}</CurrentUserContext.Provider>;
}
