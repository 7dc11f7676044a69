import type { FieldError } from "../api/auth";

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
