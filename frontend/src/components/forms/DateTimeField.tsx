import { useId } from "react";

import { type LocalDateTime, toLondon } from "../../lib/londonTime";
import { FieldGroup } from "./FieldGroup";

/** 'Date/Time': UK date and time inputs, defaulting to now; may be earlier, not later. */
export function DateTimeField({
  value,
  onChange,
  error,
  id,
}: {
  value: LocalDateTime;
  onChange: (value: LocalDateTime) => void;
  error?: string | undefined;
  id?: string;
}) {
  const ownId = useId();
  const today = toLondon(new Date()).date;
  return (
    <FieldGroup
      legend="Date/Time"
      error={error}
      errorId={`${ownId}-error`}
      {...(id ? { id } : {})}
      hint="UK time. Change it to when it happened, if earlier."
    >
      <div className="date-time">
        <div className="field">
          <label htmlFor={`${ownId}-date`}>Date</label>
          <input
            id={`${ownId}-date`}
            type="date"
            required
            max={today}
            value={value.date}
            aria-invalid={error ? true : undefined}
            onChange={(event) => onChange({ ...value, date: event.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor={`${ownId}-time`}>Time</label>
          <input
            id={`${ownId}-time`}
            type="time"
            required
            value={value.time}
            aria-invalid={error ? true : undefined}
            onChange={(event) => onChange({ ...value, time: event.target.value })}
          />
        </div>
        <button type="button" className="secondary-button" onClick={() => onChange(toLondon(new Date()))}>
          Now
        </button>
      </div>
    </FieldGroup>
  );
}
