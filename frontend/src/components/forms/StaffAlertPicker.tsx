import { useId, useState } from "react";
import { useQuery } from "urql";

import { AlertGroupButtons } from "./AlertGroupButtons";
import { Combobox } from "./Combobox";
import { ColleagueSearchQuery } from "./queries";
import { useDebouncedValue } from "./useDebouncedValue";

export interface ChosenColleague {
  id: string;
  fullName: string;
  jobTitle: string;
  /** True when they could not view the record without this alert (shown in red). */
  wouldNotNormallyView: boolean;
}

export const NOT_NORMALLY_VIEW = "would not normally be able to view this incident";

export const ALERT_HELP =
  "Type a colleague's name or select an alert group to alert them to this incident. " +
  "Colleagues highlighted in red would not normally be able to view this incident.";

function WhoShouldIAlert() {
  return (
    <details className="who-to-alert">
      <summary>Who should I alert?</summary>
      <ul>
        <li>
          Any child protection concern: your Designated Safeguarding Lead (DSL) or a deputy. If a
          child is at immediate risk, also speak to them in person now, and call 999 if needed.
        </li>
        <li>
          Staff who need to act, such as the pupil's form tutor, head of year or SENCO, when the
          incident affects how they support the pupil.
        </li>
        <li>
          Only those who need to know. A colleague shown in red will see this record only because
          you alerted them.
        </li>
        <li>An alert group alerts everyone in it: choose one only when all of them need to know.</li>
      </ul>
    </details>
  );
}

/**
 * 'Alert Staff Members': a type-ahead over colleagues (those who would not normally be able
 * to view the record in red and marked in words), the chosen ones as removable chips, and
 * the alert group buttons beneath.
 */
export function StaffAlertPicker({
  studentId,
  categoryIds,
  chosen,
  onChange,
  groupIds,
  onGroupsChange,
  error,
  groupError,
  inputId,
}: {
  studentId: string | null;
  categoryIds: readonly string[];
  chosen: readonly ChosenColleague[];
  onChange: (colleagues: ChosenColleague[]) => void;
  groupIds: readonly string[];
  onGroupsChange: (ids: string[]) => void;
  error?: string | undefined;
  groupError?: string | undefined;
  inputId?: string;
}) {
  const ownId = useId();
  const groupsLabelId = `${ownId}-groups`;
  const [text, setText] = useState("");
  const search = useDebouncedValue(text.trim());
  const knowsRecord = Boolean(studentId) && categoryIds.length > 0;
  const [{ data, fetching }] = useQuery({
    query: ColleagueSearchQuery,
    variables: {
      search,
      studentId: knowsRecord ? studentId : null,
      categoryIds: knowsRecord ? [...categoryIds] : null,
    },
    pause: search.length < 2,
  });
  const colleagues: ChosenColleague[] = (data?.staff.edges ?? [])
    .map((edge) => edge.node)
    .filter((node) => !chosen.some((c) => c.id === node.id))
    .map((node) => ({
      id: node.id,
      fullName: node.fullName,
      jobTitle: node.jobTitle,
      wouldNotNormallyView: node.wouldNotNormallyView === true,
    }));

  return (
    <div className="staff-alert-picker">
      <Combobox
        label="Alert Staff Members"
        hint={ALERT_HELP}
        error={error}
        {...(inputId ? { inputId } : {})}
        value={text}
        onValueChange={setText}
        searching={fetching || search !== text.trim()}
        noResults="No colleagues match."
        options={colleagues.map((colleague) => ({
          id: colleague.id,
          className: colleague.wouldNotNormallyView ? "colleague-restricted" : "",
          content: <ColleagueLabel colleague={colleague} />,
        }))}
        onSelect={(id) => {
          const colleague = colleagues.find((c) => c.id === id);
          if (colleague) onChange([...chosen, colleague]);
          setText("");
        }}
      />
      {chosen.length > 0 && (
        <ul className="chips" aria-label="Colleagues to alert">
          {chosen.map((colleague) => (
            <li
              key={colleague.id}
              className={colleague.wouldNotNormallyView ? "chip colleague-restricted" : "chip"}
            >
              <ColleagueLabel colleague={colleague} />
              <button
                type="button"
                className="chip-remove"
                aria-label={`Remove ${colleague.fullName}`}
                onClick={() => onChange(chosen.filter((c) => c.id !== colleague.id))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p id={groupsLabelId} className="control-sublabel">
        Alert groups
      </p>
      {groupError && <p className="field-error">{groupError}</p>}
      <AlertGroupButtons chosenIds={groupIds} onChange={onGroupsChange} labelledBy={groupsLabelId} />
      <WhoShouldIAlert />
    </div>
  );
}

function ColleagueLabel({ colleague }: { colleague: ChosenColleague }) {
  return (
    <span className="colleague-label">
      <span className="colleague-name">{colleague.fullName}</span>
      {colleague.jobTitle ? <span className="colleague-job">, {colleague.jobTitle}</span> : null}
      {colleague.wouldNotNormallyView && (
        <span className="colleague-marker"> ({NOT_NORMALLY_VIEW})</span>
      )}
    </span>
  );
}
