import { Link, useParams } from "react-router";
import { useQuery } from "urql";

import { CategoryChips } from "../components/CategoryChip";
import { useCurrentUser } from "../components/CurrentUser";
import { PupilName, TextWithNames } from "../components/HideNames";
import { KeyAccessOnly } from "../components/KeyAccessOnly";
import { LoadProblem, Loading, SessionEnded } from "../components/LoadProblem";
import { Page } from "../components/Page";
import { incidentPath, pupilFullName } from "../components/RecordSummary";
import { graphql } from "../gql";
import type { StudentChronologyQuery } from "../gql/graphql";
import { formatUkDateTime } from "../lib/dates";
import "./StudentsPage.css";
import "./records.css";

export const STUDENT_NOT_FOUND =
  "This student was not found, or you do not have access to their record.";

const StudentChronologyQueryDocument = graphql(`
  query StudentChronology($id: ID!) {
    me {
      email
    }
    student(id: $id) {
      student {
        id
        firstName
        lastName
        tutorGroup
        yearGroup
      }
      incidents {
        edges {
          node {
            id
            authorName
            occurredAt
            text
            textNameSpans {
              start
              end
            }
            categories {
              id
              name
              colour
            }
            actions {
              id
              authorName
              occurredAt
              text
              textNameSpans {
                start
                end
              }
            }
          }
        }
        pageInfo {
          hasNextPage
        }
      }
    }
  }
`);

type Incident = NonNullable<
  StudentChronologyQuery["student"]
>["incidents"]["edges"][number]["node"];

export interface ChronologyEntry {
  key: string;
  kind: "Incident" | "Action";
  incidentId: string;
  authorName: string;
  occurredAt: string;
  text: string;
  textNameSpans: readonly { start: number; end: number }[];
  categories: Incident["categories"];
}

/** Incidents and their actions in one list, most recent first. */
export function chronology(incidents: readonly Incident[]): ChronologyEntry[] {
  const entries: ChronologyEntry[] = [];
  for (const incident of incidents) {
    entries.push({
      key: incident.id,
      kind: "Incident",
      incidentId: incident.id,
      authorName: incident.authorName,
      occurredAt: incident.occurredAt,
      text: incident.text,
      textNameSpans: incident.textNameSpans,
      categories: incident.categories,
    });
    for (const action of incident.actions) {
      entries.push({
        key: action.id,
        kind: "Action",
        incidentId: incident.id,
        authorName: action.authorName,
        occurredAt: action.occurredAt,
        text: action.text,
        textNameSpans: action.textNameSpans,
        categories: [],
      });
    }
  }
  return entries.sort(
    (a, b) => new Date(b.occurredAt).getTime() - new Date(a.occurredAt).getTime(),
  );
}

function Chronology({ incidents, more }: { incidents: readonly Incident[]; more: boolean }) {
  const entries = chronology(incidents);
  return (
    <section className="record-section" aria-labelledby="chronology-heading">
      <h2 id="chronology-heading">Chronology</h2>
      {entries.length === 0 ? (
        <p>There are no incidents on this student's record that you can view.</p>
      ) : (
        <ol className="chronology">
          {entries.map((entry) => {
            const when = formatUkDateTime(entry.occurredAt);
            return (
              <li key={entry.key} className={`chronology-${entry.kind.toLowerCase()}`}>
                <article aria-labelledby={`entry-${entry.key}`}>
                  <h3 id={`entry-${entry.key}`}>
                    {entry.kind} <time dateTime={entry.occurredAt}>{when}</time>
                  </h3>
                  <p className="record-meta">by {entry.authorName}</p>
                  <CategoryChips categories={entry.categories} />
                  <div className="record-text">
                    <TextWithNames text={entry.text} spans={entry.textNameSpans} />
                  </div>
                  <Link to={incidentPath(entry.incidentId)}>
                    View incident
                    <span className="visually-hidden">
                      {" "}
                      ({entry.kind.toLowerCase()} of {when})
                    </span>
                  </Link>
                </article>
              </li>
            );
          })}
        </ol>
      )}
      {more && <p>Only the 50 most recent incidents are shown.</p>}
    </section>
  );
}

function StudentRecord() {
  const { studentId = "" } = useParams();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: StudentChronologyQueryDocument,
    variables: { id: studentId },
    requestPolicy: "network-only",
  });
  if (error && !data) {
    return (
      <Page title="Student">
        <LoadProblem error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      </Page>
    );
  }
  if (fetching || !data) {
    return (
      <Page title="Student">
        <Loading what="the student's record" />
      </Page>
    );
  }
  if (!data.me) {
    return (
      <Page title="Student">
        <SessionEnded />
      </Page>
    );
  }
  if (!data.student) {
    return (
      <Page title="Student">
        <p className="page-message">{STUDENT_NOT_FOUND}</p>
        <p>
          <Link to="/students">Search for a student</Link>
        </p>
      </Page>
    );
  }
  const { student, incidents } = data.student;
  return (
    <Page
      title="Student"
      heading={
        <>
          <PupilName name={pupilFullName(student)} />
          {student.tutorGroup ? ` (${student.tutorGroup})` : ""}
        </>
      }
    >
      {student.yearGroup && <p className="record-meta">{student.yearGroup}</p>}
      <Chronology
        incidents={incidents.edges.map(({ node }) => node)}
        more={incidents.pageInfo.hasNextPage}
      />
    </Page>
  );
}

export function StudentPage() {
  const me = useCurrentUser();
  if (me.hasKeyAccess) return <StudentRecord />;
  return (
    <Page title="Student">
      <KeyAccessOnly>{null}</KeyAccessOnly>
    </Page>
  );
}
