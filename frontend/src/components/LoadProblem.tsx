import { useLocation } from "react-router";
import type { CombinedError } from "urql";

import "./buttons.css";

export const OFFLINE_MESSAGE = "Haven could not be reached. Check your connection, then try again.";
export const SERVER_PROBLEM_MESSAGE =
  "Haven could not load this just now. Please try again in a moment.";
export const SESSION_ENDED_MESSAGE = "Your session has ended. Please log in again to carry on.";

/** Why a query failed, in words: the network, or the server. */
export function problemMessage(error: CombinedError): string {
  return error.networkError ? OFFLINE_MESSAGE : SERVER_PROBLEM_MESSAGE;
}

/** A failed load, announced, with a way to try again. */
export function LoadProblem({ error, onRetry }: { error: CombinedError; onRetry: () => void }) {
  return (
    <div className="page-message load-problem" role="alert">
      <p>{problemMessage(error)}</p>
      <button type="button" className="secondary-button" onClick={onRetry}>
        Try again
      </button>
    </div>
  );
}

/** The server answered as if signed out: the session ran out while the page was open. */
export function SessionEnded() {
  const location = useLocation();
  const next = encodeURIComponent(`${location.pathname}${location.search}`);
  return (
    <div className="page-message load-problem" role="alert">
      <p>{SESSION_ENDED_MESSAGE}</p>
      <p>
        {/* A full load, so the new session's CSRF token is used from the start. */}
        <a href={`/login?next=${next}`}>Log in again</a>
      </p>
    </div>
  );
}

export function Loading({ what }: { what: string }) {
  return (
    <p className="loading" role="status">
      Loading {what}…
    </p>
  );
}

