import { PupilName, TextWithNames } from "../../components/HideNames";
import { formatUkDateTime } from "../../lib/dates";
import type { IncidentForActionQuery } from "../../gql/graphql";

type ShownIncident = NonNullable<IncidentForActionQuery["incident"]>;

/** The incident being acted on, compactly: pupil, author, date, categories and text. */
export function IncidentHeader({ incident }: { incident: ShownIncident }) {
  const { student } = incident;
  return (
    <section className="incident-header" aria-labelledby="incident-header-title">
      <h2 id="incident-header-title" className="incident-header-title">
        <PupilName name={`${student.firstName} ${student.lastName}`} />
        {student.tutorGroup ? ` (${student.tutorGroup})` : ""}
      </h2>
      <p className="incident-header-meta">
        {incident.authorName} on {formatUkDateTime(incident.occurredAt)}
      </p>
      {incident.categories.length > 0 && (
        <ul className="category-chips" aria-label="Categories">
          {incident.categories.map((category) => (
            <li key={category.id} className="category-chip" style={{ borderLeftColor: category.colour }}>
              {category.name}
            </li>
          ))}
        </ul>
      )}
      <p className="incident-header-text">
        <TextWithNames text={incident.text} spans={incident.textNameSpans} />
      </p>
      {incident.linkedStudents.length > 0 && (
        <p className="incident-header-linked">
          Linked Students:{" "}
          {incident.linkedStudents.map((link, index) => (
            <span key={link.student.id}>
              {index > 0 ? ", " : ""}
              <PupilName name={`${link.student.firstName} ${link.student.lastName}`} />
              {link.student.tutorGroup ? ` (${link.student.tutorGroup})` : ""}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
