import type { CombinedError } from "urql";

export interface ServerError {
  field?: string | null;
  code: string;
  message: string;
}

export interface MappedErrors {
  /** First message for each form field. */
  fields: Record<string, string>;
  /** Messages about the whole form. */
  form: string[];
  /** The session ended: sign in again (what was typed is kept). */
  signedOut: boolean;
}

export const NO_ERRORS: MappedErrors = { fields: {}, form: [], signedOut: false };

export const SIGNED_OUT_MESSAGE =
  "Your session has ended. Sign in again: what you typed here is kept in this tab, " +
  "so you can send it afterwards.";

/**
 * Puts each of the payload's errors by its field. `aliases` names the form field for the
 * names the API uses (e.g. the service's `pupilId` is the form's `studentId`); fields the form
 * does not show go to the summary.
 */
export function mapRecordErrors(
  errors: readonly ServerError[],
  known: readonly string[],
  aliases: Record<string, string> = {},
): MappedErrors {
  const fields: Record<string, string> = {};
  const form: string[] = [];
  let signedOut = false;
  for (const error of errors) {
    if (error.code === "unauthenticated" || error.code === "not_signed_in") {
      signedOut = true;
      continue;
    }
    const field = error.field ? (aliases[error.field] ?? error.field) : "";
    if (field && known.includes(field)) {
      // Several problems with one field read as one paragraph.
      fields[field] = fields[field] ? `${fields[field]} ${error.message}` : error.message;
    } else {
      form.push(error.message);
    }
  }
  return { fields, form, signedOut };
}

/** What to say when the request itself failed; nothing typed is lost either way. */
export function requestFailure(error: CombinedError | undefined): MappedErrors {
  const status = error?.response?.status as number | undefined;
  if (status === 403 || status === 401) {
    return { fields: {}, form: [], signedOut: true };
  }
  if (error?.networkError && !status) {
    return {
      fields: {},
      form: [
        "Haven could not be reached. Nothing you typed is lost: check your connection, then try again.",
      ],
      signedOut: false,
    };
  }
  return {
    fields: {},
    form: [
      "Something went wrong on Haven's side and nothing was saved. What you typed is still here: please try again.",
    ],
    signedOut: false,
  };
}
