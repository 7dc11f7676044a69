import { useEffect, useRef, useState } from "react";
import { Link, useLocation, useNavigate, useParams } from "react-router";
import { useClient, useQuery } from "urql";

import { CategoryChips } from "../components/CategoryChip";
import { useCurrentUser } from "../components/CurrentUser";
import { PupilName, TextWithNames } from "../components/HideNames";
import {
  LoadProblem,
  Loading,
  OFFLINE_MESSAGE,
  SessionEnded,
} from "../components/LoadProblem";
import { Page } from "../components/Page";
import { incidentPath, pupilFullName, studentPath } from "../components/RecordSummary";
import { BodyMapView } from "../components/bodymap/BodyMap";
import { graphql } from "../gql";
import type { IncidentViewQuery } from "../gql/graphql";
import { formatUkDateTime } from "../lib/dates";
import "./IncidentPage.css";
import "./records.css";

export const NOT_FOUND_MESSAGE =
  "This incident was not found, or you no longer have access to it.";

export const NO_KEY_ACCESS_WARNING =
  "Please note as you do not have key access, once you have marked the incident as read, " +
  "the alert will disappear from your alerts dashboard and you will not be able to read it " +
  "again. Therefore if you are required to add any actions make sure to do this before you " +
  "select the 'mark as read'.";

const MARK_FAILED = "The incident could not be marked as read just now. Please try again.";

const IncidentViewQueryDocument = graphql(`
  query IncidentView($id: ID!) {
    me {
      email
    }
    incident(id: $id) {
      id
      isLinkedCopy
      student {
        id
        firstName
        lastName
        tutorGroup
      }
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
      subcategories {
        id
        name
      }
      agencies {
        id
        name
      }
      linkedStudents {
        student {
          id
          firstName
          lastName
          tutorGroup
        }
      }
      bodyMap {
        side
        x
        y
        number
        note
      }
      attachments {
        id
        name
        size
        downloadUrl
      }
      actions {
        id
        authorName
        text
        textNameSpans {
          start
          end
        }
        occurredAt
        agencies {
          id
          name
        }
        attachments {
          id
          name
          size
          downloadUrl
        }
      }
      unreadAlertId
      alertedByName
    }
    alerts(first: 10) {
      edges {
        node {
          id
          incidentId
        }
      }
    }
  }
`);

const MarkAlertReadMutation = graphql(`
  mutation MarkAlertRead($alertId: ID!) {
    markAlertRead(alertId: $alertId) {
      nextAlert {
        id
        incidentId
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

type Incident = NonNullable<IncidentViewQuery["incident"]>;
type FileInfo = Incident["attachments"][number];

/** An incident id as the API issues them (base64 of `Incident:…`); anything else is not one. */
export function looksLikeIncidentId(id: string): boolean {
  try {
    return atob(id).startsWith("Incident:");
  } catch {
    return false;
  }
}

function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function Files({ files, label }: { files: readonly FileInfo[]; label: string }) {
  if (files.length === 0) return null;
  return (
    <ul className="record-plain-list record-files" aria-label={label}>
      {files.map((file) => (
        <li key={file.id}>
          <a href={file.downloadUrl} download>
            {file.name}
          </a>{" "}
          <span className="muted">({fileSize(file.size)})</span>
        </li>
      ))}
    </ul>
  );
}

function Agencies({ agencies }: { agencies: readonly { id: string; name: string }[] }) {
  if (agencies.length === 0) return null;
  return (
    <p className="record-agencies">
      <strong>Agency involved:</strong> {agencies.map((agency) => agency.name).join(", ")}
    </p>
  );
}

function NotFound() {
  return (
    <Page title="Viewing Incident">
      <p className="page-message">{NOT_FOUND_MESSAGE}</p>
      <p>
        <Link to="/">Go to the Dashboard</Link>
      </p>
    </Page>
  );
}

/** "mark as read", with the guide's warning first for staff without key access. */
function MarkAsRead({
  alertId,
  keyAccess,
  nextIncidentId,
}: {
  alertId: string;
  keyAccess: boolean;
  nextIncidentId: string | undefined;
}) {
  const client = useClient();
  const navigate = useNavigate();
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const warningRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (confirming) warningRef.current?.focus();
  }, [confirming]);

  const markRead = async (): Promise<void> => {
    setBusy(true);
    setProblem(undefined);
    const result = await client
      .mutation(
        MarkAlertReadMutation,
        { alertId },
        // The dashboard's lists and this incident change: drop what is cached of them.
        { additionalTypenames: ["Alert", "Dashboard", "Incident", "HistoryEntry"] },
      )
      .toPromise();
    setBusy(false);
    if (result.error || !result.data) {
      setProblem(result.error?.networkError ? OFFLINE_MESSAGE : MARK_FAILED);
      return;
    }
    const payload = result.data.markAlertRead;
    if (payload.errors.length > 0) {
      setProblem(payload.errors[0]?.message ?? MARK_FAILED);
      return;
    }
    const next = payload.nextAlert?.incidentId ?? nextIncidentId;
    if (next) {
      // Replaced, not pushed: the incident just marked may be closed to this person now.
      navigate(incidentPath(next), {
        state: { notice: "The incident was marked as read. This is your next alert." },
        replace: true,
      });
    }
    else navigate("/", { state: { notice: "The incident was marked as read." }, replace: true });
  };

  return (
    <>
      {!confirming && (
        <button
          type="button"
          className="secondary-button"
          disabled={busy}
          onClick={() => (keyAccess ? void markRead() : setConfirming(true))}
        >
          mark as read
        </button>
      )}
      {confirming && (
        <div
          className="record-warning"
          role="alertdialog"
          aria-labelledby="mark-read-title"
          aria-describedby="mark-read-warning"
          tabIndex={-1}
          ref={warningRef}
          onKeyDown={(event) => {
            if (event.key === "Escape" && !busy) setConfirming(false);
          }}
        >
          <h3 id="mark-read-title">Mark as read?</h3>
          <p id="mark-read-warning">
            <strong>N.B.</strong> {NO_KEY_ACCESS_WARNING}
          </p>
          <div className="record-buttons">
            <button
              type="button"
              className="primary-button"
              disabled={busy}
              onClick={() => void markRead()}
            >
              Yes, mark as read
            </button>
            <button
              type="button"
              className="secondary-button"
              disabled={busy}
              onClick={() => setConfirming(false)}
            >
              Cancel
            </button>
          </div>
        </div>
      )}
      <p role="alert" className={problem ? "record-problem" : undefined}>
        {problem}
      </p>
    </>
  );
}

function IncidentView({
  incident,
  nextIncidentId,
}: {
  incident: Incident;
  nextIncidentId: string | undefined;
}) {
  const me = useCurrentUser();
  const keyAccess = me.hasKeyAccess;
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  const { student } = incident;
  const heading = (
    <>
      Viewing Incident - <PupilName name={pupilFullName(student)} />
      {student.tutorGroup ? ` (${student.tutorGroup})` : ""}
    </>
  );

  return (
    <Page title="Viewing Incident" heading={heading} back="/">
      <p role="status" className={notice ? "record-notice" : undefined}>
        {notice}
      </p>
      <article className="incident" aria-labelledby="incident-by">
        <p className="record-meta" id="incident-by">
          <strong>{incident.authorName}</strong>{" "}
          <time dateTime={incident.occurredAt}>{formatUkDateTime(incident.occurredAt)}</time>
        </p>
        {incident.isLinkedCopy && (
          <p className="record-notice">
            This is <PupilName name={pupilFullName(student)} />
            {"'s"} copy of a linked incident, as your access allows. Actions are added to the
            main record.
          </p>
        )}
        <CategoryChips categories={incident.categories} />
        {incident.subcategories.length > 0 && (
          <p className="incident-subcategories">
            <strong>Subcategories:</strong>{" "}
            {incident.subcategories.map((sub) => sub.name).join(", ")}
          </p>
        )}
        <div className="record-text incident-text">
          <TextWithNames text={incident.text} spans={incident.textNameSpans} />
        </div>
        <Agencies agencies={incident.agencies} />
      </article>

      {incident.linkedStudents.length > 0 && (
        <section className="record-section" aria-labelledby="linked-heading">
          <h2 id="linked-heading">Linked Students</h2>
          <ul className="record-plain-list">
            {incident.linkedStudents.map(({ student: linked }) => {
              const name = <PupilName name={pupilFullName(linked)} />;
              return (
                <li key={linked.id}>
                  {keyAccess ? <Link to={studentPath(linked.id)}>{name}</Link> : name}
                  {linked.tutorGroup ? ` (${linked.tutorGroup})` : ""}
                </li>
              );
            })}
          </ul>
        </section>
      )}

      {incident.bodyMap.length > 0 && (
        <section className="record-section" aria-labelledby="body-map-heading">
          <h2 id="body-map-heading">Body map</h2>
          <BodyMapView markers={incident.bodyMap} />
        </section>
      )}

      {incident.attachments.length > 0 && (
        <section className="record-section" aria-labelledby="files-heading">
          <h2 id="files-heading">Files</h2>
          <Files files={incident.attachments} label="Files of the incident" />
        </section>
      )}

      <section className="record-section" aria-labelledby="actions-heading">
        <h2 id="actions-heading">Actions</h2>
        {incident.actions.length === 0 ? (
          <p>No actions have been added yet.</p>
        ) : (
          <ol className="incident-actions">
            {incident.actions.map((action) => (
              <li key={action.id}>
                <article aria-label={`Action by ${action.authorName}`}>
                  <p className="record-meta">
                    <strong>{action.authorName}</strong>{" "}
                    <time dateTime={action.occurredAt}>
                      {formatUkDateTime(action.occurredAt)}
                    </time>
                  </p>
                  <div className="record-text">
                    <TextWithNames text={action.text} spans={action.textNameSpans} />
                  </div>
                  <Agencies agencies={action.agencies} />
                  <Files files={action.attachments} label={`Files of the action by ${action.authorName}`} />
                </article>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section className="record-section incident-alert" aria-label="Alert">
        {incident.alertedByName && (
          <p className="record-notice">{incident.alertedByName} alerted you to this incident.</p>
        )}
        <div className="record-buttons">
          {!incident.isLinkedCopy && (
            <Link
              className="primary-button"
              to={`${incidentPath(incident.id)}/add-action`}
            >
              Add Action
            </Link>
          )}
          {nextIncidentId && (
            <Link className="secondary-button" to={incidentPath(nextIncidentId)}>
              next alert
            </Link>
          )}
          {incident.unreadAlertId && (
            <MarkAsRead
              key={incident.unreadAlertId}
              alertId={incident.unreadAlertId}
              keyAccess={keyAccess}
              nextIncidentId={nextIncidentId}
            />
          )}
        </div>
      </section>
    </Page>
  );
}

export function IncidentPage() {
  const { incidentId = "" } = useParams();
  const valid = looksLikeIncidentId(incidentId);
  const [{ data, fetching, error }, refetch] = useQuery({
    query: IncidentViewQueryDocument,
    variables: { id: incidentId },
    // Every opening is a fresh, audited read; after "mark as read" it may be gone.
    requestPolicy: "network-only",
    pause: !valid,
  });

  if (!valid) return <NotFound />;
  if (error && !data) {
    return (
      <Page title="Viewing Incident">
        <LoadProblem error={error} onRetry={() => refetch({ requestPolicy: "network-only" })} />
      </Page>
    );
  }
  if (fetching || !data) {
    return (
      <Page title="Viewing Incident">
        <Loading what="the incident" />
      </Page>
    );
  }
  if (!data.me) {
    return (
      <Page title="Viewing Incident">
        <SessionEnded />
      </Page>
    );
  }
  if (!data.incident) return <NotFound />;
  const nextIncidentId = data.alerts.edges
    .map(({ node }) => node.incidentId)
    .find((id) => id !== data.incident?.id);
  return <IncidentView key={data.incident.id} incident={data.incident} nextIncidentId={nextIncidentId} />;
}
