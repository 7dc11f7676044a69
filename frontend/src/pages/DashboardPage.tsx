import { useState } from "react";
import { useLocation } from "react-router";
import { useQuery } from "urql";

import { CategoryChips } from "../components/CategoryChip";
import { useCurrentUser } from "../components/CurrentUser";
import { LoadProblem, Loading, SessionEnded } from "../components/LoadProblem";
import { Page } from "../components/Page";
import { RecordSummary } from "../components/RecordSummary";
import { graphql } from "../gql";
import { formatAddedBy, formatTimeAgo } from "../lib/dates";
import "./DashboardPage.css";
import "./records.css";

export const ALERTS_PAGE_SIZE = 20;

export const NO_HISTORY =
  "You have not logged any incidents or actions in the last 7 days.";

const DashboardAlertsQuery = graphql(`
  query DashboardAlerts($first: Int!, $after: String) {
    alerts(first: $first, after: $after) {
      edges {
        node {
          id
          kind
          incidentId
          student {
            id
            firstName
            lastName
          }
          categories {
            id
            name
            colour
          }
          addedByName
          addedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const DashboardHistoryQuery = graphql(`
  query DashboardHistory {
    dashboard {
      unreadAlertCount
      myHistory {
        kind
        incidentId
        student {
          id
          firstName
          lastName
        }
        categories {
          id
          name
          colour
        }
        addedAt
      }
    }
  }
`);

/** Alerts and My History re-read whenever the dashboard is shown: they change elsewhere. */
const FRESH = { requestPolicy: "cache-and-network" } as const;

function AlertSection() {
  // The cursors of the pages before this one, so "Previous page" can go back.
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const after = cursors.at(-1) ?? null;
  const [{ data, fetching, error }, refetch] = useQuery({
    query: DashboardAlertsQuery,
    variables: { first: ALERTS_PAGE_SIZE, after },
    ...FRESH,
  });
  const [history] = useQuery({ query: DashboardHistoryQuery, ...FRESH });
  const total = history.data?.dashboard?.unreadAlertCount;
  const edges = data?.alerts?.edges ?? [];
  const pageInfo = data?.alerts?.pageInfo;
  const pageNumber = cursors.length;

  let body;
  if (error && !data) {
    body = <LoadProblem error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  } else if (fetching && !data) {
    body = <Loading what="your alerts" />;
  } else if (edges.length === 0) {
    body = <p>You have no unread alerts.</p>;
  } else {
    body = (
      <>
        <table className="record-table">
          <thead>
            <tr>
              <th scope="col">Alert</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {edges.map(({ node }) => (
              <tr key={node.id}>
                <td>
                  <RecordSummary
                    who={node.addedByName}
                    kind={node.kind}
                    incidentId={node.incidentId}
                    student={node.student}
                  />
                  <CategoryChips categories={node.categories} />
                </td>
                <td className="added">{formatAddedBy(node.addedAt, node.addedByName)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {(pageNumber > 1 || pageInfo?.hasNextPage) && (
          <nav className="dashboard-paging record-buttons" aria-label="Alert pages">
            <button
              type="button"
              className="secondary-button"
              disabled={pageNumber === 1}
              onClick={() => setCursors((was) => was.slice(0, -1))}
            >
              Previous page
            </button>
            <span>
              Page {pageNumber}
              {total !== undefined ? ` of ${Math.max(1, Math.ceil(total / ALERTS_PAGE_SIZE))}` : ""}
            </span>
            <button
              type="button"
              className="secondary-button"
              disabled={!pageInfo?.hasNextPage}
              onClick={() => {
                const next = pageInfo?.endCursor;
                if (next) setCursors((was) => [...was, next]);
              }}
            >
              Next page
            </button>
          </nav>
        )}
      </>
    );
  }

  return (
    <section className="record-section" aria-labelledby="alerts-heading">
      <h2 id="alerts-heading">
        Alert
        {total ? <span className="muted"> ({total} unread)</span> : null}
      </h2>
      {body}
    </section>
  );
}

function HistorySection() {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: DashboardHistoryQuery,
    ...FRESH,
  });
  let body;
  if (error && !data) {
    body = <LoadProblem error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />;
  } else if (fetching && !data) {
    body = <Loading what="your history" />;
  } else if (data && data.dashboard === null) {
    body = <SessionEnded />;
  } else {
    const entries = data?.dashboard?.myHistory ?? [];
    body =
      entries.length === 0 ? (
        <p>{NO_HISTORY}</p>
      ) : (
        <table className="record-table">
          <thead>
            <tr>
              <th scope="col">My History</th>
              <th scope="col">Added</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, index) => (
              <tr key={`${entry.incidentId}-${entry.kind}-${entry.addedAt}-${index}`}>
                <td>
                  <RecordSummary
                    who="You"
                    kind={entry.kind}
                    incidentId={entry.incidentId}
                    student={entry.student}
                  />
                  <CategoryChips categories={entry.categories} />
                </td>
                <td className="added">{formatTimeAgo(entry.addedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      );
  }
  return (
    <section className="record-section" aria-labelledby="history-heading">
      <h2 id="history-heading">My History</h2>
      {body}
    </section>
  );
}

export function DashboardPage() {
  const me = useCurrentUser();
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  return (
    <Page title="Dashboard">
      <p className="signed-in-as">
        Signed in as <strong>{me.fullName}</strong>
        {me.jobTitle ? `, ${me.jobTitle}` : ""}.
      </p>
      <p role="status" className={notice ? "record-notice" : undefined}>
        {notice}
      </p>
      <AlertSection />
      <HistorySection />
    </Page>
  );
}
