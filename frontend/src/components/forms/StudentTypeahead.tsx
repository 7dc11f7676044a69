import { useState } from "react";
import { useQuery } from "urql";

import { starOut } from "../../lib/names";
import { PupilName, useHideNames } from "../HideNames";
import { Combobox } from "./Combobox";
import { StudentSearchQuery } from "./queries";
import { useDebouncedValue } from "./useDebouncedValue";

export interface ChosenStudent {
  id: string;
  firstName: string;
  lastName: string;
  tutorGroup: string | null;
}

/** `Hannah Greenwood (1B)`, with the name starred while Hide Names is on. */
export function studentLabel(student: ChosenStudent, hidden: boolean): string {
  const name = `${student.firstName} ${student.lastName}`;
  const shown = hidden ? starOut(name) : name;
  return student.tutorGroup ? `${shown} (${student.tutorGroup})` : shown;
}

/** Suggestions of pupils on roll for what has been typed (after a pause). */
export function useStudentSearch(text: string, excludeIds: readonly string[]) {
  const search = useDebouncedValue(text.trim());
  const [{ data, fetching }] = useQuery({
    query: StudentSearchQuery,
    variables: { search },
    pause: search.length < 2,
  });
  const students: ChosenStudent[] = (data?.students.edges ?? [])
    .map((edge) => edge.node)
    .filter((node) => !excludeIds.includes(node.id))
    .map((node) => ({
      id: node.id,
      firstName: node.firstName,
      lastName: node.lastName,
      tutorGroup: node.tutorGroup ?? null,
    }));
  return { students, searching: fetching || search !== text.trim() };
}

/**
 * 'Student': type a name, choose from the list. Once chosen the box turns grey (read only)
 * with a red X to clear it. With `onAdd` instead, each choice is handed over and the box
 * empties for the next ('Linked student(s)').
 */
export function StudentTypeahead({
  label,
  hint,
  error,
  chosen,
  onChoose,
  onAdd,
  excludeIds = [],
  inputId,
}: {
  label: string;
  hint?: string;
  error?: string | undefined;
  chosen?: ChosenStudent | null;
  onChoose?: (student: ChosenStudent | null) => void;
  onAdd?: (student: ChosenStudent) => void;
  excludeIds?: readonly string[];
  inputId?: string;
}) {
  const { hidden } = useHideNames();
  const [text, setText] = useState("");
  const { students, searching } = useStudentSearch(text, excludeIds);

  if (chosen && onChoose) {
    return (
      <div className={error ? "combobox field-invalid" : "combobox"}>
        <label htmlFor={inputId} className="control-label">
          {label}
        </label>
        {error && <p className="field-error">{error}</p>}
        <div className="chosen-student">
          <input
            id={inputId}
            type="text"
            readOnly
            className="chosen-student-input"
            value={studentLabel(chosen, hidden)}
          />
          <button
            type="button"
            className="clear-button"
            aria-label="Clear student"
            title="Clear student"
            onClick={() => {
              setText("");
              onChoose(null);
              // Back to typing: the box that replaces this one takes the focus.
              requestAnimationFrame(() => {
                if (inputId) document.getElementById(inputId)?.focus();
              });
            }}
          >
            <span aria-hidden="true">X</span>
          </button>
        </div>
      </div>
    );
  }

  return (
    <Combobox
      label={label}
      {...(hint ? { hint } : {})}
      error={error}
      {...(inputId ? { inputId } : {})}
      value={text}
      onValueChange={setText}
      searching={searching}
      noResults="No pupils match."
      options={students.map((student) => ({
        id: student.id,
        content: (
          <>
            <PupilName name={`${student.firstName} ${student.lastName}`} />
            {student.tutorGroup ? ` (${student.tutorGroup})` : ""}
          </>
        ),
      }))}
      onSelect={(id) => {
        const student = students.find((s) => s.id === id);
        if (!student) return;
        if (onAdd) {
          onAdd(student);
          setText("");
        } else {
          onChoose?.(student);
          requestAnimationFrame(() => {
            if (inputId) document.getElementById(inputId)?.focus();
          });
        }
      }}
    />
  );
}
