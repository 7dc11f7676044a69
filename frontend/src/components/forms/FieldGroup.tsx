import type { ReactNode } from "react";

/** A group of controls under one legend, its error next to it (fieldset + legend). */
export function FieldGroup({
  legend,
  error,
  errorId,
  hint,
  id,
  children,
  className,
}: {
  legend: ReactNode;
  error?: string | undefined;
  errorId?: string;
  hint?: ReactNode;
  id?: string;
  children: ReactNode;
  className?: string;
}) {
  return (
    <fieldset
      id={id}
      tabIndex={id ? -1 : undefined}
      className={["field-group", error ? "field-invalid" : "", className ?? ""].filter(Boolean).join(" ")}
      aria-describedby={error && errorId ? errorId : undefined}
    >
      <legend className="control-label">{legend}</legend>
      {hint && <p className="field-hint">{hint}</p>}
      {error && (
        <p id={errorId} className="field-error">
          {error}
        </p>
      )}
      {children}
    </fieldset>
  );
}
