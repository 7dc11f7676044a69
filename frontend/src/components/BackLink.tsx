import type { MouseEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";

/**
 * "Back": to the page the person came from inside the app (the Dashboard, My History, a
 * pupil's chronology), through the router's history, so app state such as Hide Names and the
 * page's scroll position come back with it. A page opened straight from a link (an alert
 * e-mail, a bookmark) has no such page, so it goes to `fallback` instead.
 */
export function BackLink({ fallback }: { fallback: string }) {
  const navigate = useNavigate();
  const location = useLocation();
  // React Router gives the first page of a visit the key "default".
  const cameFromTheApp = location.key !== "default";
  const onClick = (event: MouseEvent<HTMLAnchorElement>): void => {
    if (!cameFromTheApp || event.metaKey || event.ctrlKey || event.shiftKey) return;
    event.preventDefault();
    void navigate(-1);
  };
  return (
    <p className="back-link">
      <Link to={fallback} onClick={onClick}>
        <span aria-hidden="true">← </span>Back
      </Link>
    </p>
  );
}
