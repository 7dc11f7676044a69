import { Link } from "react-router";

import { PupilName } from "./HideNames";

export type RecordKindName = "INCIDENT" | "ACTION";

export function incidentPath(incidentId: string): string {
  return `/incidents/${encodeURIComponent(incidentId)}`;
}

export function studentPath(studentId: string): string {
  return `/students/${encodeURIComponent(studentId)}`;
}

export function pupilFullName(student: { firstName: string; lastName: string }): string {
  return `${student.firstName} ${student.lastName}`;
}

/**
 * "Chloe Kelan added an incident for Hannah Greenwood", as on the dashboard; the word
 * "incident" (or "action") opens the incident, and the pupil's name follows Hide Names.
 */
export function RecordSummary({
  who,
  kind,
  incidentId,
  student,
}: {
  who: string;
  kind: RecordKindName;
  incidentId: string;
  student: { firstName: string; lastName: string };
}) {
  const word = kind === "ACTION" ? "action" : "incident";
  return (
    <>
      {who} added an <Link to={incidentPath(incidentId)}>{word}</Link> for{" "}
      <PupilName name={pupilFullName(student)} />
    </>
  );
}
