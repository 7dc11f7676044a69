import { useQuery } from "urql";

import { AlertGroupsQuery } from "./queries";

/** The school's alert groups (SLT, Teachers, ...) as buttons that stay pressed when chosen. */
export function AlertGroupButtons({
  chosenIds,
  onChange,
  labelledBy,
}: {
  chosenIds: readonly string[];
  onChange: (ids: string[]) => void;
  labelledBy?: string;
}) {
  const [{ data, error }] = useQuery({ query: AlertGroupsQuery });
  if (error && !data) return <p className="field-error">The alert groups could not be loaded.</p>;
  const groups = data?.alertGroups ?? [];
  if (groups.length === 0) return null;
  return (
    <div role="group" aria-labelledby={labelledBy} aria-label={labelledBy ? undefined : "Alert groups"} className="toggle-row">
      {groups.map((group) => {
        const pressed = chosenIds.includes(group.id);
        return (
          <button
            key={group.id}
            type="button"
            className="toggle-button group-button"
            aria-pressed={pressed}
            onClick={() =>
              onChange(pressed ? chosenIds.filter((id) => id !== group.id) : [...chosenIds, group.id])
            }
          >
            <span aria-hidden="true" className="toggle-tick">
              {pressed ? "✓" : "+"}
            </span>
            {group.name}
          </button>
        );
      })}
    </div>
  );
}
