import { type FormEvent, useState } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useMutation, useQuery } from "urql";

import { useCurrentUser } from "../../components/CurrentUser";
import { Page } from "../../components/Page";
import { AgencySelect } from "../../components/forms/AgencySelect";
import { DateTimeField } from "../../components/forms/DateTimeField";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { FileDropZone, type UploadItem, uploadedIds } from "../../components/forms/FileDropZone";
import {
  type MappedErrors,
  NO_ERRORS,
  SIGNED_OUT_MESSAGE,
  mapRecordErrors,
  requestFailure,
} from "../../api/outcome";
import { type ChosenColleague, StaffAlertPicker } from "../../components/forms/StaffAlertPicker";
import { TextAreaField } from "../../components/forms/TextAreaField";
import { useSessionDraft } from "../../components/forms/useSessionDraft";
import "../../components/forms/forms.css";
import { graphql } from "../../gql";
import type { IncidentForActionQuery as IncidentForActionResult } from "../../gql/graphql";
import { type LocalDateTime, occurredAtCheck, toLondon } from "../../lib/londonTime";
import { IncidentHeader } from "./IncidentHeader";
import "./AddActionPage.css";

const IncidentForActionQuery = graphql(`
  query IncidentForAction($id: ID!) {
    incident(id: $id) {
      id
      authorName
      occurredAt
      text
      textNameSpans {
        start
        end
      }
      student {
        id
        firstName
        lastName
        tutorGroup
      }
      categories {
        id
        name
        colour
      }
      linkedStudents {
        student {
          id
          firstName
          lastName
          tutorGroup
        }
      }
      alertRecipientNames
    }
  }
`);

const AddActionMutation = graphql(`
  mutation AddAction($input: AddActionInput!) {
    addAction(input: $input) {
      action {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export interface ActionDraft {
  text: string;
  agencyIds: string[];
  occurred: LocalDateTime;
  addToLinkedStudents: boolean;
  shareDocuments: boolean;
  alertStaff: ChosenColleague[];
  alertGroupIds: string[];
  addIncidentAlertRecipients: boolean;
  files: UploadItem[];
}

export const ACTION_FIELDS = [
  "text",
  "agencyIds",
  "occurredAt",
  "addToLinkedStudents",
  "shareDocuments",
  "alertStaffIds",
  "alertGroupIds",
  "addIncidentAlertRecipients",
  "attachmentIds",
] as const;

const ACTION_TARGETS: Record<string, string> = {
  text: "action-text",
  agencyIds: "action-agencies",
  occurredAt: "action-when",
  addToLinkedStudents: "action-linked",
  shareDocuments: "action-share",
  alertStaffIds: "action-alert",
  alertGroupIds: "action-alert",
  addIncidentAlertRecipients: "action-recipients",
  attachmentIds: "action-files",
};

function emptyActionDraft(): ActionDraft {
  return {
    text: "",
    agencyIds: [],
    occurred: toLondon(new Date()),
    addToLinkedStudents: false,
    shareDocuments: false,
    alertStaff: [],
    alertGroupIds: [],
    addIncidentAlertRecipients: false,
    files: [],
  };
}

export function AddActionPage() {
  const { incidentId = "" } = useParams();
  const incidentPage = `/incidents/${encodeURIComponent(incidentId)}`;
  const [{ data, fetching, error: loadError }, reload] = useQuery({
    query: IncidentForActionQuery,
    variables: { id: incidentId },
  });
  if (fetching && !data) {
    return (
      <Page title="Add Action" back={incidentPage}>
        <p role="status">Loading…</p>
      </Page>
    );
  }
  if (loadError && !data) {
    return (
      <Page title="Add Action" back={incidentPage}>
        <div role="alert">
          <p>Haven could not be reached. Check your connection, then try again.</p>
          <button type="button" className="secondary-button" onClick={() => reload({ requestPolicy: "network-only" })}>
            Try again
          </button>
        </div>
      </Page>
    );
  }
  const incident = data?.incident;
  if (!incident) {
    return (
      <Page title="Add Action" back="/">
        <p>This incident cannot be found, or you cannot open it.</p>
        <p>
          <Link to="/">Go to the Dashboard</Link>
        </p>
      </Page>
    );
  }
  return <AddActionForm incident={incident} />;
}

function AddActionForm({
  incident,
}: {
  incident: NonNullable<IncidentForActionResult["incident"]>;
}) {
  const navigate = useNavigate();
  const incidentPath = `/incidents/${encodeURIComponent(incident.id)}`;
  const me = useCurrentUser();
  const [draft, setDraft, clearDraft] = useSessionDraft<ActionDraft>(
    `haven:draft:add-action:${me.email}:${incident.id}`,
    emptyActionDraft,
    (stored) => ({ ...stored, files: stored.files.filter((f) => f.status === "done") }),
  );
  const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [{ fetching: sending }, addAction] = useMutation(AddActionMutation);

  const set = <K extends keyof ActionDraft>(key: K, value: ActionDraft[K]): void =>
    setDraft((was) => ({ ...was, [key]: value }));
  const setFiles = (change: UploadItem[] | ((was: UploadItem[]) => UploadItem[])): void =>
    setDraft((was) => ({ ...was, files: typeof change === "function" ? change(was.files) : change }));
  const fieldError = (field: string): string | undefined => errors.fields[field];
  const hasLinked = incident.linkedStudents.length > 0;

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const when = occurredAtCheck(draft.occurred);
    const form: string[] = [];
    if (draft.files.some((file) => file.status === "uploading")) {
      form.push("Wait for the files to finish uploading, then press Add Action again.");
    }
    if ("error" in when || form.length > 0) {
      setErrors({
        fields: "error" in when ? { occurredAt: when.error } : {},
        form,
        signedOut: false,
      });
      return;
    }
    const result = await addAction({
      input: {
        incidentId: incident.id,
        text: draft.text,
        agencyIds: draft.agencyIds,
        occurredAt: when.iso,
        addToLinkedStudents: hasLinked && draft.addToLinkedStudents,
        shareDocuments: hasLinked && draft.addToLinkedStudents && draft.shareDocuments,
        alertStaffIds: draft.alertStaff.map((c) => c.id),
        alertGroupIds: draft.alertGroupIds,
        addIncidentAlertRecipients: draft.addIncidentAlertRecipients,
        attachmentIds: uploadedIds(draft.files),
      },
    });
    const payload = result.data?.addAction;
    if (!payload) {
      setErrors(requestFailure(result.error));
      return;
    }
    if (payload.errors.length > 0) {
      setErrors(mapRecordErrors(payload.errors, ACTION_FIELDS));
      return;
    }
    clearDraft();
    // The form leaves the history, so "Back" on the incident goes where the person came from.
    navigate(incidentPath, { replace: true });
  };

  const summary = [
    ...(errors.signedOut ? [{ message: SIGNED_OUT_MESSAGE }] : []),
    ...errors.form.map((message) => ({ message })),
    ...ACTION_FIELDS.filter((field) => errors.fields[field]).map((field) => ({
      message: errors.fields[field] ?? "",
      targetId: ACTION_TARGETS[field],
    })),
  ];

  return (
    <Page title="Add Action" back={incidentPath}>
      <IncidentHeader incident={incident} />
      <form className="record-form" onSubmit={onSubmit} noValidate aria-label="Add Action">
        <ErrorSummary items={summary} attempt={attempt} />
        {errors.signedOut && (
          <p className="signed-out">
            <Link to={`/login?next=${encodeURIComponent(`${incidentPath}/add-action`)}`} reloadDocument>
              Sign in again
            </Link>
          </p>
        )}
        <TextAreaField
          label="Action Taken"
          id="action-text"
          value={draft.text}
          onChange={(event) => set("text", event.target.value)}
          error={fieldError("text")}
        />
        <AgencySelect
          legend="Agency Involved"
          id="action-agencies"
          chosenIds={draft.agencyIds}
          onChange={(ids) => set("agencyIds", ids)}
          error={fieldError("agencyIds")}
        />
        <DateTimeField
          id="action-when"
          value={draft.occurred}
          onChange={(value) => set("occurred", value)}
          error={fieldError("occurredAt")}
        />
        {hasLinked && (
          <div className="check-fields">
            <label className="check-label">
              <input
                id="action-linked"
                type="checkbox"
                checked={draft.addToLinkedStudents}
                onChange={(event) => set("addToLinkedStudents", event.target.checked)}
              />
              Add action to linked students
            </label>
            {fieldError("addToLinkedStudents") && (
              <p className="field-error">{fieldError("addToLinkedStudents")}</p>
            )}
            <label className="check-label">
              <input
                id="action-share"
                type="checkbox"
                checked={draft.addToLinkedStudents && draft.shareDocuments}
                disabled={!draft.addToLinkedStudents}
                aria-describedby="action-share-hint"
                onChange={(event) => set("shareDocuments", event.target.checked)}
              />
              Share documents?
            </label>
            <p id="action-share-hint" className="field-hint">
              Shows this action's files on the linked students' copies.
            </p>
          </div>
        )}
        <StaffAlertPicker
          inputId="action-alert"
          studentId={incident.student.id}
          categoryIds={incident.categories.map((c) => c.id)}
          chosen={draft.alertStaff}
          onChange={(colleagues) => set("alertStaff", colleagues)}
          groupIds={draft.alertGroupIds}
          onGroupsChange={(ids) => set("alertGroupIds", ids)}
          error={fieldError("alertStaffIds")}
          groupError={fieldError("alertGroupIds")}
        />
        <div className="check-fields">
          <label className="check-label">
            <input
              id="action-recipients"
              type="checkbox"
              checked={draft.addIncidentAlertRecipients}
              aria-describedby="action-recipients-note"
              onChange={(event) => set("addIncidentAlertRecipients", event.target.checked)}
            />
            Add incident alert recipients
          </label>
          <div id="action-recipients-note" className="field-hint">
            <p className="recipients-note">These user(s) were alerted to the corresponding incident.</p>
            {incident.alertRecipientNames.length > 0 ? (
              <ul className="recipient-names" aria-label="Alerted to the incident">
                {incident.alertRecipientNames.map((name, index) => (
                  <li key={`${name}-${index}`}>{name}</li>
                ))}
              </ul>
            ) : (
              <p className="recipients-note">Nobody was alerted to the incident.</p>
            )}
          </div>
          {fieldError("addIncidentAlertRecipients") && (
            <p className="field-error">{fieldError("addIncidentAlertRecipients")}</p>
          )}
        </div>
        <FileDropZone
          id="action-files"
          items={draft.files}
          setItems={setFiles}
          error={fieldError("attachmentIds")}
        />
        <div className="form-buttons">
          <button type="submit" className="primary-button" disabled={sending}>
            {sending ? "Adding…" : "Add Action"}
          </button>
          <Link to={incidentPath} className="cancel-link">
            Back to the incident
          </Link>
        </div>
      </form>
    </Page>
  );
}
