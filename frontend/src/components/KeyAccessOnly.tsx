import type { ReactNode } from "react";
import { Link, useLocation } from "react-router";

import { useCurrentUser } from "./CurrentUser";

/** Pupil searches and records need key access: a key holder who has passed the second factor. */
export function KeyAccessOnly({ children }: { children: ReactNode }) {
  const me = useCurrentUser();
  const location = useLocation();
  if (me.hasKeyAccess) return <>{children}</>;
  if (me.isKeyHolder) {
    const next = encodeURIComponent(`${location.pathname}${location.search}`);
    return (
      <p className="page-message">
        Key access needs your second factor.{" "}
        <a href={`/second-factor?next=${next}`}>Give your second factor</a> to carry on.
      </p>
    );
  }
  return (
    <>
      <p className="page-message">Only staff with key access can search for students.</p>
      <p>
        <Link to="/">Go to the Dashboard</Link>
      </p>
    </>
  );
}
