import { useId } from "react";
import { useQuery } from "urql";

import { FieldGroup } from "./FieldGroup";
import { AgenciesQuery } from "./queries";

/** 'Agency involved': the school's agencies as a list of checkboxes. */
export function AgencySelect({
  legend,
  chosenIds,
  onChange,
  error,
  id,
}: {
  legend: string;
  chosenIds: readonly string[];
  onChange: (ids: string[]) => void;
  error?: string | undefined;
  id?: string;
}) {
  const ownId = useId();
  const [{ data, error: loadError }] = useQuery({ query: AgenciesQuery });
  const agencies = data?.agencies ?? [];
  return (
    <FieldGroup
      legend={legend}
      error={error}
      errorId={`${ownId}-error`}
      {...(id ? { id } : {})}
      hint={agencies.length > 0 ? "Select any agencies involved." : undefined}
    >
      {loadError && !data && <p className="field-error">The agencies could not be loaded.</p>}
      {data && agencies.length === 0 && <p className="field-hint">The school has no agencies set up.</p>}
      <ul className="check-list">
        {agencies.map((agency) => {
          const checked = chosenIds.includes(agency.id);
          return (
            <li key={agency.id}>
              <label className="check-label">
                <input
                  type="checkbox"
                  checked={checked}
                  onChange={() =>
                    onChange(
                      checked ? chosenIds.filter((i) => i !== agency.id) : [...chosenIds, agency.id],
                    )
                  }
                />
                {agency.name}
              </label>
            </li>
          );
        })}
      </ul>
    </FieldGroup>
  );
}
