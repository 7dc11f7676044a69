import { type FormEvent, useEffect, useState } from "react";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";

import { Field } from "../components/Field";
import { PupilName } from "../components/HideNames";
import { KeyAccessOnly } from "../components/KeyAccessOnly";
import { LoadProblem, Loading, SessionEnded } from "../components/LoadProblem";
import { Page } from "../components/Page";
import { pupilFullName, studentPath } from "../components/RecordSummary";
import { useDebouncedValue } from "../components/forms/useDebouncedValue";
import { graphql } from "../gql";
import "./StudentsPage.css";
import "../components/buttons.css";
import "./records.css";

const StudentSearchQuery = graphql(`
  query StudentSearch($search: String!) {
    me {
      email
    }
    students(search: $search, first: 50) {
      edges {
        node {
          id
          firstName
          lastName
          tutorGroup
          yearGroup
        }
      }
      pageInfo {
        hasNextPage
      }
    }
  }
`);

function Results({ search }: { search: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: StudentSearchQuery,
    variables: { search },
    pause: !search,
  });
  if (!search) return null;
  if (error && !data) {
    return <LoadProblem error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  }
  if (fetching || !data) return <Loading what="students" />;
  if (!data.me) return <SessionEnded />;
  const edges = data.students.edges;
  return (
    <section className="record-section" aria-labelledby="results-heading">
      <h2 id="results-heading" role="status">
        {edges.length === 0
          ? "No students match your search."
          : `${edges.length}${data.students.pageInfo.hasNextPage ? "+" : ""} student${edges.length === 1 ? "" : "s"} found`}
      </h2>
      {edges.length > 0 && (
        <ul className="student-results">
          {edges.map(({ node }) => (
            <li key={node.id}>
              <Link to={studentPath(node.id)}>
                <PupilName name={pupilFullName(node)} />
              </Link>
              <span className="muted">
                {[node.tutorGroup, node.yearGroup].filter(Boolean).join(", ")}
              </span>
            </li>
          ))}
        </ul>
      )}
      {data.students.pageInfo.hasNextPage && (
        <p>Only the first 50 are shown: type more of the name to narrow the search.</p>
      )}
    </section>
  );
}

export function StudentsPage() {
  const [params, setParams] = useSearchParams();
  const search = (params.get("search") ?? "").trim();
  const [typed, setTyped] = useState(search);
  const [error, setError] = useState<string>();
  // Results follow the box as you type (one search per pause, as in the Add Incident
  // type-ahead); the search stays in the address, so Back from a pupil returns to it.
  const settled = useDebouncedValue(typed.trim());
  useEffect(() => {
    if (settled === search) return;
    if (settled) setError(undefined);
    setParams(settled ? { search: settled } : {}, { replace: true });
  }, [settled, search, setParams]);

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const value = typed.trim();
    if (!value) {
      setError("Type part of a student's name or a tutor group.");
      return;
    }
    setError(undefined);
    setParams({ search: value });
  };

  return (
    <Page title="Students">
      <KeyAccessOnly>
        <form role="search" className="form student-search" onSubmit={onSubmit} noValidate>
          <Field
            label="Search for a student"
            hint="Part of a name or a tutor group, e.g. gre or 1B."
            type="search"
            name="search"
            autoComplete="off"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
            error={error}
          />
          <button type="submit" className="primary-button">
            Search
          </button>
        </form>
        <Results search={search} />
      </KeyAccessOnly>
    </Page>
  );
}
