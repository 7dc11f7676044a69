/**
 * One shape for every mutation's answer, so each screen shows problems the same way: the
 * server's typed errors next to their fields, and network, server and expired-session
 * failures as a message about the whole form (nothing typed is cleared by any of them).
 */
import type { OperationResult } from "urql";

import { type FieldError, SERVER_ERROR_MESSAGE, UNAVAILABLE_MESSAGE } from "./auth";

export const SESSION_ENDED_CODE = "session_ended";
export const SESSION_ENDED_MESSAGE =
  "You have been signed out. Log in again in a new tab, then try again here; nothing you typed has been lost.";

/** Codes the API gives when the request carried no signed-in session. */
const SIGNED_OUT_CODES = new Set(["not_signed_in", "unauthenticated"]);

export interface RawError {
  readonly field?: string | null;
  readonly code: string;
  readonly message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

function problem(code: string, message: string): Outcome<never> {
  return { ok: false, errors: [{ field: null, code, message }] };
}

/** Typed errors as the forms use them: an empty field means the whole form. */
export function normaliseErrors(errors: readonly RawError[]): FieldError[] {
  return errors.map((error) =>
    SIGNED_OUT_CODES.has(error.code)
      ? { field: null, code: SESSION_ENDED_CODE, message: SESSION_ENDED_MESSAGE }
      : { field: error.field || null, code: error.code, message: error.message },
  );
}

/**
 * `pick` returns the payload's errors and, when there are none, what the screen needs.
 * An HTTP 401/403 (a token or CSRF refusal) counts as a signed-out session.
 */
export function outcomeOf<D, T>(
  result: OperationResult<D>,
  pick: (data: D) => { errors: readonly RawError[]; value: T },
): Outcome<T> {
  const status = (result.error?.response as Response | undefined)?.status;
  if (status === 401 || status === 403) return problem(SESSION_ENDED_CODE, SESSION_ENDED_MESSAGE);
  if (result.error?.networkError && status === undefined) {
    return problem("unavailable", UNAVAILABLE_MESSAGE);
  }
  if (result.error || !result.data) return problem("server_error", SERVER_ERROR_MESSAGE);
  const { errors, value } = pick(result.data);
  if (errors.length > 0) return { ok: false, errors: normaliseErrors(errors) };
  return { ok: true, value };
}
