import { type KeyboardEvent, type ReactNode, useId, useState } from "react";

export interface ComboboxOption {
  id: string;
  /** What the option shows (and what a screen reader reads). */
  content: ReactNode;
  className?: string;
}

/**
 * A text box with a list of suggestions, as the WAI-ARIA combobox pattern describes: the
 * focus stays in the box, arrow keys move through the list (aria-activedescendant), Enter
 * chooses, Escape closes the list (or, when it is closed, clears the box).
 */
export function Combobox({
  label,
  hint,
  error,
  value,
  onValueChange,
  options,
  onSelect,
  searching,
  minChars = 2,
  noResults = "No matches.",
  inputId,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | undefined;
  value: string;
  onValueChange: (value: string) => void;
  options: readonly ComboboxOption[];
  onSelect: (id: string) => void;
  searching: boolean;
  minChars?: number;
  noResults?: string;
  inputId?: string;
}) {
  const ownId = useId();
  const id = inputId ?? `${ownId}-input`;
  const listId = `${ownId}-list`;
  const hintId = `${ownId}-hint`;
  const errorId = `${ownId}-error`;
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  const longEnough = value.trim().length >= minChars;
  const expanded = open && longEnough && options.length > 0;
  const activeOption = expanded && active >= 0 ? options[active] : undefined;

  const choose = (optionId: string): void => {
    onSelect(optionId);
    setOpen(false);
    setActive(-1);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>): void => {
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        setOpen(true);
        if (options.length > 0) setActive((was) => (was + 1) % options.length);
        break;
      case "ArrowUp":
        event.preventDefault();
        setOpen(true);
        if (options.length > 0) setActive((was) => (was <= 0 ? options.length - 1 : was - 1));
        break;
      case "Home":
      case "End":
        if (expanded) {
          event.preventDefault();
          setActive(event.key === "Home" ? 0 : options.length - 1);
        }
        break;
      case "Enter":
        // Enter in the box never submits the form: it chooses, or does nothing.
        event.preventDefault();
        if (activeOption) choose(activeOption.id);
        else if (expanded && options.length === 1 && options[0]) choose(options[0].id);
        break;
      case "Escape":
        if (expanded) {
          event.preventDefault();
          setOpen(false);
          setActive(-1);
        } else if (value) {
          event.preventDefault();
          onValueChange("");
        }
        break;
      default:
        break;
    }
  };

  let status = "";
  if (open && longEnough) {
    if (searching) status = "Searching…";
    else if (options.length === 0) status = noResults;
    else status = `${options.length} ${options.length === 1 ? "match" : "matches"}; use the arrow keys to choose.`;
  }
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ");

  return (
    <div className={error ? "combobox field-invalid" : "combobox"}>
      <label htmlFor={id} className="control-label">
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
      <div className="combobox-wrap">
        <input
          id={id}
          type="text"
          role="combobox"
          autoComplete="off"
          spellCheck={false}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls={listId}
          aria-activedescendant={activeOption ? `${listId}-${active}` : undefined}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy || undefined}
          value={value}
          onChange={(event) => {
            onValueChange(event.target.value);
            setOpen(true);
            setActive(-1);
          }}
          onKeyDown={onKeyDown}
          onBlur={() => {
            setOpen(false);
            setActive(-1);
          }}
          onFocus={() => setOpen(true)}
        />
        <ul id={listId} role="listbox" aria-label={label} className="combobox-list" hidden={!expanded}>
          {expanded &&
            options.map((option, index) => (
              <li
                key={option.id}
                id={`${listId}-${index}`}
                role="option"
                aria-selected={index === active}
                className={[
                  "combobox-option",
                  index === active ? "combobox-option-active" : "",
                  option.className ?? "",
                ]
                  .filter(Boolean)
                  .join(" ")}
                // Keeps the focus in the box, so the choice does not blur it first.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => choose(option.id)}
              >
                {option.content}
              </li>
            ))}
        </ul>
      </div>
      <span className="visually-hidden" role="status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}
