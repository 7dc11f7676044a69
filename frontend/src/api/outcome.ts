/**
 * How the web app reads every answer of the API, in one place.
 *
 * Each mutation's payload carries `errors { ...ErrorFields }`: a field named as the input
 * names it (`studentId`, `linkedStudents.0.categoryIds`; null for the whole request), a stable
 * code and a sentence. Network, server and expired-session failures become errors about the
 * whole form, so each screen shows problems the same way and nothing typed is cleared.
 */
import type { CombinedError, OperationResult } from "urql";

import { graphql } from "../gql";

/** The one selection of a payload's errors, shared by every operation. */
export const ErrorFieldsFragment = graphql(`
  fragment ErrorFields on FieldError {
    field
    code
    message
  }
`);

export interface FieldError {
  /** The form field the message belongs next to; null for the form as a whole. */
  field: string | null;
  code: string;
  message: string;
}

/** A payload's error as generated (nullable fields come back optional). */
export interface RawError {
  readonly field?: string | null;
  readonly code: string;
  readonly message: string;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** The API's one code for a request without a signed-in session. */
const NOT_SIGNED_IN_CODE = "not_signed_in";

export const SESSION_ENDED_CODE = "session_ended";
export const SESSION_ENDED_MESSAGE =
  "You have been signed out. Log in again in a new tab, then try again here; nothing you typed has been lost.";
export const SIGNED_OUT_MESSAGE =
  "Your session has ended. Sign in again: what you typed here is kept in this tab, " +
  "so you can send it afterwards.";
export const UNAVAILABLE_MESSAGE =
  "Haven could not be reached. Check your connection and try again; nothing you typed has been lost.";
export const SERVER_ERROR_MESSAGE =
  "Haven could not complete that just now. Please try again; nothing you typed has been lost.";
const RECORD_UNAVAILABLE_MESSAGE =
  "Haven could not be reached. Nothing you typed is lost: check your connection, then try again.";
const RECORD_SERVER_ERROR_MESSAGE =
  "Something went wrong on Haven's side and nothing was saved. What you typed is still here: please try again.";

function problem(code: string, message: string): Outcome<never> {
  return { ok: false, errors: [{ field: null, code, message }] };
}

/** A payload's errors as typed (sign-in screens show them as the API words them). */
export function typedErrors(errors: readonly RawError[]): FieldError[] {
  return errors.map((error) => ({
    field: error.field || null,
    code: error.code,
    message: error.message,
  }));
}

/** Typed errors as the forms use them, a signed-out answer read as an ended session. */
export function normaliseErrors(errors: readonly RawError[]): FieldError[] {
  return typedErrors(errors).map((error) =>
    error.code === NOT_SIGNED_IN_CODE
      ? { field: null, code: SESSION_ENDED_CODE, message: SESSION_ENDED_MESSAGE }
      : error,
  );
}

/** An HTTP 401/403 (a token or CSRF refusal) counts as a signed-out session. */
function refusedStatus(error: CombinedError | undefined): number | undefined {
  return (error?.response as Response | undefined)?.status;
}

/** `pick` returns the payload's errors and, when there are none, what the screen needs. */
export function outcomeOf<D, T>(
  result: OperationResult<D>,
  pick: (data: D) => { errors: readonly RawError[]; value: T },
): Outcome<T> {
  const status = refusedStatus(result.error);
  if (status === 401 || status === 403) return problem(SESSION_ENDED_CODE, SESSION_ENDED_MESSAGE);
  if (result.error?.networkError && status === undefined) {
    return problem("unavailable", UNAVAILABLE_MESSAGE);
  }
  if (result.error || !result.data) return problem("server_error", SERVER_ERROR_MESSAGE);
  const { errors, value } = pick(result.data);
  if (errors.length > 0) return { ok: false, errors: normaliseErrors(errors) };
  return { ok: true, value };
}

/**
 * The form field an error belongs to: its own name when the form shows it, otherwise the
 * start of its path (`linkedStudents.0.categoryIds` is shown by `linkedStudents`).
 */
function shownField(field: string | null | undefined, known: readonly string[]): string | null {
  if (!field) return null;
  if (known.includes(field)) return field;
  const head = field.split(".")[0] ?? field;
  return known.includes(head) ? head : null;
}

/** The first message for each field, and the form-wide ones joined. */
export function errorsByField(errors: readonly FieldError[]): {
  fields: Record<string, string>;
  form: string | undefined;
} {
  const fields: Record<string, string> = {};
  const form: string[] = [];
  for (const error of errors) {
    if (error.field) fields[error.field] ??= error.message;
    else form.push(error.message);
  }
  return { fields, form: form.length > 0 ? form.join(" ") : undefined };
}

/** The first message the server gave for each field. */
export function fieldMessages(errors: readonly FieldError[]): Record<string, string> {
  return errorsByField(errors).fields;
}

/** The errors a form shows as a whole: those without a field, or for a field it does not show. */
export function formWideErrors(
  errors: readonly FieldError[],
  shownFields: readonly string[],
): FieldError[] {
  return errors.filter((error) => !error.field || !shownFields.includes(error.field));
}

/** The record forms' view of the errors (adding an incident or an action). */
export interface MappedErrors {
  /** First message for each form field. */
  fields: Record<string, string>;
  /** Messages about the whole form. */
  form: string[];
  /** The session ended: sign in again (what was typed is kept). */
  signedOut: boolean;
}

export const NO_ERRORS: MappedErrors = { fields: {}, form: [], signedOut: false };

/** Puts each of the payload's errors by the form field that shows it; others go to the summary. */
export function mapRecordErrors(errors: readonly RawError[], known: readonly string[]): MappedErrors {
  const fields: Record<string, string> = {};
  const form: string[] = [];
  let signedOut = false;
  for (const error of errors) {
    if (error.code === NOT_SIGNED_IN_CODE) {
      signedOut = true;
      continue;
    }
    const field = shownField(error.field, known);
    if (field) {
      // Several problems with one field read as one paragraph.
      fields[field] = fields[field] ? `${fields[field]} ${error.message}` : error.message;
    } else {
      form.push(error.message);
    }
  }
  return { fields, form, signedOut };
}

/** What a record form says when the request itself failed; nothing typed is lost either way. */
export function requestFailure(error: CombinedError | undefined): MappedErrors {
  const status = refusedStatus(error);
  if (status === 403 || status === 401) return { fields: {}, form: [], signedOut: true };
  if (error?.networkError && !status) {
    return { fields: {}, form: [RECORD_UNAVAILABLE_MESSAGE], signedOut: false };
  }
  return { fields: {}, form: [RECORD_SERVER_ERROR_MESSAGE], signedOut: false };
}
