import { type TextareaHTMLAttributes, useId } from "react";

/** A labelled multi-line text box with its error next to it. */
export function TextAreaField({
  label,
  error,
  hint,
  id,
  ...textarea
}: {
  label: string;
  error?: string | undefined;
  hint?: string;
  id?: string;
} & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const ownId = useId();
  const fieldId = id ?? ownId;
  const errorId = `${fieldId}-error`;
  const hintId = `${fieldId}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={fieldId} className="control-label">
        {label}
      </label>
      {hint && (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      <textarea
        id={fieldId}
        rows={8}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
        {...textarea}
      />
    </div>
  );
}
