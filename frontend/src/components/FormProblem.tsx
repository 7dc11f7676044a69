import { type FieldError, SESSION_ENDED_CODE, formWideErrors } from "../api/outcome";
import "./controls.css";

/**
 * A problem with a whole form (not one field), announced when it appears. When the session
 * has ended it offers Login in a new tab, so what is typed here survives signing in again.
 */
export function FormProblem({
  errors,
  shownFields = [],
}: {
  errors: readonly FieldError[];
  /** Fields whose errors the form shows next to them; any other error is shown here. */
  shownFields?: readonly string[];
}) {
  const general = formWideErrors(errors, shownFields);
  const sessionEnded = general.some((error) => error.code === SESSION_ENDED_CODE);
  return (
    <div role="alert" className={general.length > 0 ? "form-error" : undefined}>
      {general.map((error) => error.message).join(" ")}
      {sessionEnded && (
        <>
          {" "}
          <a
            href={`/login?next=${encodeURIComponent(window.location.pathname)}`}
            target="_blank"
            rel="noopener"
          >
            Log in again (opens a new tab)
          </a>
        </>
      )}
    </div>
  );
}
