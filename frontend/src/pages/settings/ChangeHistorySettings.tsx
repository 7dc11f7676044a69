import { useState } from "react";
import { useQuery } from "urql";

import { Page } from "../../components/Page";
import { graphql } from "../../gql";
import { formatUkDateTime } from "../../lib/dates";
import { actionLabel, fieldLabel } from "./staffForm";
import "./settings-people.css";

const PAGE_SIZE = 50;

const ChangesQuery = graphql(`
  query SettingsChanges($first: Int, $after: String) {
    settingsChanges(first: $first, after: $after) {
      nodes {
        id
        at
        actorName
        action
        objectType
        objectName
        changes {
          field
          from
          to
        }
        note
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

/** Settings → Change history: who changed which setting, from what to what, and when. */
export function ChangeHistorySettings() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return (
    <Page title="Change history">
      <p>Every change to staff, access levels and the school's settings, newest first.</p>
      <ol className="sp-history">
        {cursors.map((after, index) => (
          <ChangesPage
            key={after ?? "first"}
            after={after}
            isLast={index === cursors.length - 1}
            onMore={(cursor) => setCursors([...cursors, cursor])}
          />
        ))}
      </ol>
    </Page>
  );
}

function shown(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? "(none)" : value;
}

function ChangesPage({
  after,
  isLast,
  onMore,
}: {
  after: string | null;
  isLast: boolean;
  onMore: (cursor: string) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: ChangesQuery,
    variables: { first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
  });
  if (fetching && !data) {
    return (
      <li>
        <p className="loading" role="status">
          Loading…
        </p>
      </li>
    );
  }
  if (error && !data) {
    return (
      <li>
        <p className="page-message" role="alert">
          The history could not be loaded. Check your connection, then try again.
        </p>
      </li>
    );
  }
  const page = data?.settingsChanges;
  if (!page) {
    return <li className="page-message">Only school admins can see the change history.</li>;
  }
  if (page.nodes.length === 0 && after === null) {
    return <li className="page-message">No changes yet.</li>;
  }
  return (
    <>
      {page.nodes.map((change) => (
        <li key={change.id} className="sp-card">
          <p className="sp-history-line">
            <time dateTime={change.at}>{formatUkDateTime(change.at)}</time>{" "}
            <strong>{change.actorName || "Haven"}</strong> {actionLabel(change.action)}{" "}
            {change.objectType.toLowerCase()} <strong>{change.objectName}</strong>
          </p>
          {change.note && <p className="sp-history-note">{change.note}</p>}
          {change.changes.length > 0 && (
            <ul className="sp-history-changes">
              {change.changes.map((item) => (
                <li key={item.field}>
                  {fieldLabel(item.field)}:{" "}
                  {item.from === null || item.from === undefined ? (
                    <ins>{shown(item.to)}</ins>
                  ) : (
                    <>
                      <del>{shown(item.from)}</del> <span aria-hidden>→</span>
                      <span className="visually-hidden">to</span> <ins>{shown(item.to)}</ins>
                    </>
                  )}
                </li>
              ))}
            </ul>
          )}
        </li>
      ))}
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor && (
        <li>
          <button
            type="button"
            className="sp-button"
            onClick={() => onMore(page.pageInfo.endCursor ?? "")}
          >
            Show older changes
          </button>
        </li>
      )}
    </>
  );
}
