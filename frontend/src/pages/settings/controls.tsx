import { type ReactNode, type SelectHTMLAttributes, type TextareaHTMLAttributes, useId } from "react";

/** A labelled checkbox whose error (e.g. the last-admin refusal) sits right next to it. */
export function Checkbox({
  label,
  checked,
  onChange,
  error,
  hint,
}: {
  label: string;
  checked: boolean;
  onChange: (checked: boolean) => void;
  error?: string | undefined;
  hint?: string;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(" ");
  return (
    <div className={error ? "sp-check sp-invalid" : "sp-check"}>
      <input
        id={id}
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy || undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}

/** A group of checkboxes, one per option, under a legend. */
export function CheckboxList({
  legend,
  hint,
  options,
  selected,
  onChange,
  error,
}: {
  legend: string;
  hint?: string;
  options: readonly { id: string; name: string }[];
  selected: readonly string[];
  onChange: (id: string, on: boolean) => void;
  error?: string | undefined;
}) {
  return (
    <fieldset className="sp-fieldset">
      <legend>{legend}</legend>
      {hint && <p className="field-hint">{hint}</p>}
      {error && <p className="field-error">{error}</p>}
      {options.length === 0 ? (
        <p className="field-hint">None yet.</p>
      ) : (
        <ul className="sp-check-list">
          {options.map((option) => (
            <li key={option.id}>
              <Checkbox
                label={option.name}
                checked={selected.includes(option.id)}
                onChange={(on) => onChange(option.id, on)}
              />
            </li>
          ))}
        </ul>
      )}
    </fieldset>
  );
}

export function SelectField({
  label,
  error,
  children,
  ...select
}: {
  label: string;
  error?: string | undefined;
  children: ReactNode;
} & SelectHTMLAttributes<HTMLSelectElement>) {
  const id = useId();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <select
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...select}
      >
        {children}
      </select>
    </div>
  );
}

export function TextAreaField({
  label,
  error,
  ...area
}: { label: string; error?: string | undefined } & TextareaHTMLAttributes<HTMLTextAreaElement>) {
  const id = useId();
  return (
    <div className={error ? "field field-invalid" : "field"}>
      <label htmlFor={id}>{label}</label>
      {error && (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
      <textarea
        id={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        {...area}
      />
    </div>
  );
}
