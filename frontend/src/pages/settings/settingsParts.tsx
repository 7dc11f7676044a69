/** Pieces the settings screens share: running a change, naming things, moving them. */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { useClient } from "urql";

import type { FieldError } from "../../api/outcome";
import { Field, FormError } from "../../components/Field";
import { errorsByField } from "../../api/outcome";
import { useWithPassword } from "./reauthentication";

type PayloadErrors = ReadonlyArray<{ field?: string | null; code: string; message: string }>;

const UNREACHABLE: FieldError[] = [
  {
    field: null,
    code: "network",
    message: "Haven could not be reached. Check your connection, then try again.",
  },
];

export type Errors = ReturnType<typeof errorsByField>;
export const NO_ERRORS: Errors = { fields: {}, form: undefined };

/**
 * Runs a settings mutation and, when it worked, calls `done` (to reload the list). Answers
 * with the errors to show: none on success.
 */
export function useChange(done: () => void) {
  const client = useClient();
  const withPassword = useWithPassword();
  return useCallback(
    async <Data, Variables extends Record<string, unknown>>(
      document: TypedDocumentNode<Data, Variables>,
      variables: Variables,
      pick: (data: Data) => { errors: PayloadErrors } | null | undefined,
    ): Promise<Errors> => {
      const result = await withPassword(
        () => client.mutation(document, variables).toPromise(),
        (answer) => (answer.data ? pick(answer.data)?.errors : undefined),
      );
      const payload = result.data ? pick(result.data) : undefined;
      if (!payload) return errorsByField(UNREACHABLE);
      const errors = payload.errors.map((e) => ({ ...e, field: e.field ?? null }));
      if (errors.length === 0) done();
      return errorsByField(errors);
    },
    [client, done, withPassword],
  );
}

/** A one-field form: add a name, or rename something. Keeps what was typed on an error. */
export function NameForm({
  label,
  initial = "",
  submitLabel,
  maxLength,
  onSubmit,
  onCancel,
  children,
  extraValid = true,
  inline = false,
}: {
  label: string;
  initial?: string;
  submitLabel: string;
  maxLength: number;
  onSubmit: (name: string) => Promise<Errors>;
  onCancel?: () => void;
  children?: ReactNode;
  /** False while another field of the form has a problem shown already. */
  extraValid?: boolean;
  /** The field and its button side by side where there is room (adding to a list). */
  inline?: boolean;
}) {
  const [name, setName] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (!extraValid) return;
    setBusy(true);
    const answer = await onSubmit(name);
    setBusy(false);
    setErrors(answer);
    if (!answer.form && Object.keys(answer.fields).length === 0 && !onCancel) setName("");
  };
  return (
    <form
      className={inline ? "settings-form settings-form-inline" : "settings-form"}
      onSubmit={submit}
      noValidate
    >
      <FormError message={errors.form ?? errors.fields.id} />
      <Field
        label={label}
        value={name}
        maxLength={maxLength + 20}
        autoComplete="off"
        onChange={(event) => setName(event.target.value)}
        error={errors.fields.name}
        required
      />
      {children}
      <div className="settings-form-buttons">
        <button type="submit" className="primary-button" disabled={busy}>
          {submitLabel}
        </button>
        {onCancel && (
          <button type="button" className="settings-button" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** Move up / Move down, keyboard usable; the ends are marked unavailable, not removed. */
export function MoveButtons({
  name,
  index,
  count,
  onMove,
}: {
  name: string;
  index: number;
  count: number;
  onMove: (direction: -1 | 1) => void;
}) {
  const first = index === 0;
  const last = index === count - 1;
  // aria-disabled rather than disabled: a button that just moved to the top keeps focus.
  return (
    <>
      <button
        type="button"
        className="settings-button"
        aria-label={`Move ${name} up`}
        aria-disabled={first || undefined}
        onClick={() => !first && onMove(-1)}
      >
        Move up
      </button>
      <button
        type="button"
        className="settings-button"
        aria-label={`Move ${name} down`}
        aria-disabled={last || undefined}
        onClick={() => !last && onMove(1)}
      >
        Move down
      </button>
    </>
  );
}

/** Asks once more before deleting; deleting cannot be undone. */
export function DeleteButton({ name, onDelete }: { name: string; onDelete: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button
        type="button"
        className="settings-button settings-danger"
        aria-label={`Delete ${name}`}
        onClick={() => setAsking(true)}
      >
        Delete
      </button>
    );
  }
  return (
    <span className="settings-confirm" role="group" aria-label={`Delete ${name}?`}>
      <span>Delete {name}?</span>
      <button
        type="button"
        className="settings-button settings-danger"
        onClick={() => {
          setAsking(false);
          onDelete();
        }}
      >
        Yes, delete
      </button>
      <button type="button" className="settings-button" onClick={() => setAsking(false)}>
        Keep it
      </button>
    </span>
  );
}

export function Tags({ active, inUse, extra }: { active: boolean; inUse?: boolean; extra?: string }) {
  return (
    <span className="settings-tags">
      {!active && <span className="settings-tag settings-tag-inactive">Inactive</span>}
      {extra && <span className="settings-tag">{extra}</span>}
      {inUse && <span className="settings-tag">In use</span>}
    </span>
  );
}

/** The list could not be read: offline, or (with null data) not a school admin. */
export function ListProblem({ offline, retry }: { offline: boolean; retry: () => void }) {
  if (offline) {
    return (
      <div className="page-message" role="alert">
        <p>Haven could not be reached. Check your connection, then try again.</p>
        <button type="button" className="settings-button" onClick={retry}>
          Try again
        </button>
      </div>
    );
  }
  return <p className="page-message">Only school admins can change the school's settings.</p>;
}

/**
 * After a reorder the list is drawn again from the server's answer: put focus back on the
 * button that was pressed (by its label) once the new data is on screen.
 */
export function useFocusAfterReload(data: unknown): (label: string) => void {
  const pending = useRef<string | null>(null);
  useEffect(() => {
    const label = pending.current;
    if (!label) return;
    pending.current = null;
    const button = Array.from(document.querySelectorAll<HTMLButtonElement>("button")).find(
      (candidate) => candidate.getAttribute("aria-label") === label,
    );
    button?.focus();
  }, [data]);
  return useCallback((label: string) => {
    pending.current = label;
  }, []);
}
