import { type FormEvent, useState } from "react";
import { Link, useNavigate } from "react-router";
import { useMutation, useQuery } from "urql";

import { useCurrentUser } from "../../components/CurrentUser";
import { useHideNames } from "../../components/HideNames";
import { Page } from "../../components/Page";
import { AgencySelect } from "../../components/forms/AgencySelect";
import { CategoryButtons, SubcategoryButtons } from "../../components/forms/CategoryToggles";
import { DateTimeField } from "../../components/forms/DateTimeField";
import { ErrorSummary } from "../../components/forms/ErrorSummary";
import { FieldGroup } from "../../components/forms/FieldGroup";
import { FileDropZone, type UploadItem, uploadedIds } from "../../components/forms/FileDropZone";
import { CategoriesQuery } from "../../components/forms/queries";
import {
  type MappedErrors,
  NO_ERRORS,
  SIGNED_OUT_MESSAGE,
  mapRecordErrors,
  requestFailure,
} from "../../api/outcome";
import { StaffAlertPicker } from "../../components/forms/StaffAlertPicker";
import { StudentTypeahead, studentLabel } from "../../components/forms/StudentTypeahead";
import { TextAreaField } from "../../components/forms/TextAreaField";
import { useSessionDraft } from "../../components/forms/useSessionDraft";
import "../../components/forms/forms.css";
import { graphql } from "../../gql";
import { occurredAtCheck } from "../../lib/londonTime";
import { BodyMapField } from "./BodyMapField";
import "./AddIncidentPage.css";
import {
  INCIDENT_FIELDS,
  INCIDENT_TARGETS,
  type IncidentDraft,
  emptyIncidentDraft,
  incidentDraftKey,
  reviveIncidentDraft,
} from "./incidentDraft";

const AddIncidentMutation = graphql(`
  mutation AddIncident($input: AddIncidentInput!) {
    addIncident(input: $input) {
      incidentId
      incident {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

export const ADDED_NOTICE =
  "Your incident has been added, and the colleagues you chose have been alerted.";

export function AddIncidentPage() {
  const navigate = useNavigate();
  const { hidden } = useHideNames();
  const me = useCurrentUser();
  const [draft, setDraft, clearDraft] = useSessionDraft<IncidentDraft>(
    incidentDraftKey(me.email),
    emptyIncidentDraft,
    reviveIncidentDraft,
  );
  const [errors, setErrors] = useState<MappedErrors>(NO_ERRORS);
  const [attempt, setAttempt] = useState(0);
  const [{ fetching: sending }, addIncident] = useMutation(AddIncidentMutation);
  const [{ data: categoryData, error: categoryError }] = useQuery({ query: CategoriesQuery });
  const categories = categoryData?.categories ?? [];

  const set = <K extends keyof IncidentDraft>(key: K, value: IncidentDraft[K]): void =>
    setDraft((was) => ({ ...was, [key]: value }));
  const setFiles = (change: UploadItem[] | ((was: UploadItem[]) => UploadItem[])): void =>
    setDraft((was) => ({ ...was, files: typeof change === "function" ? change(was.files) : change }));

  const fieldError = (field: string): string | undefined => errors.fields[field];

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setAttempt((n) => n + 1);
    const local: Record<string, string> = {};
    if (!draft.student) local.studentId = "Choose a student.";
    const when = occurredAtCheck(draft.occurred);
    const occurredAt = "iso" in when ? when.iso : null;
    if ("error" in when) local.occurredAt = when.error;
    const form: string[] = [];
    if (draft.files.some((file) => file.status === "uploading")) {
      form.push("Wait for the files to finish uploading, then press Add Incident again.");
    }
    if (!draft.student || !occurredAt || form.length > 0) {
      setErrors({ fields: local, form, signedOut: false });
      return;
    }
    const chosenCategories = categories.filter((c) => draft.categoryIds.includes(c.id));
    const allowedSubcategories = new Set(chosenCategories.flatMap((c) => c.subcategories.map((s) => s.id)));
    const result = await addIncident({
      input: {
        studentId: draft.student.id,
        text: draft.text,
        categoryIds: draft.categoryIds,
        subcategoryIds: draft.subcategoryIds.filter((id) => allowedSubcategories.has(id)),
        linkedStudents: draft.linked.map((link) => ({
          studentId: link.student.id,
          categoryIds: link.categoryIds,
          shareDocuments: link.shareDocuments,
        })),
        bodyMap: draft.bodyMap.map(({ side, x, y, number, note }) => ({ side, x, y, number, note })),
        occurredAt,
        alertStaffIds: draft.alertStaff.map((c) => c.id),
        alertGroupIds: draft.alertGroupIds,
        attachmentIds: uploadedIds(draft.files),
        agencyIds: draft.agencyIds,
      },
    });
    const payload = result.data?.addIncident;
    if (!payload) {
      setErrors(requestFailure(result.error));
      return;
    }
    if (payload.errors.length > 0 || !payload.incidentId) {
      setErrors(mapRecordErrors(payload.errors, INCIDENT_FIELDS));
      return;
    }
    clearDraft();
    if (payload.incident) {
      // The form leaves the history, so "Back" from what follows skips it.
      navigate(`/incidents/${encodeURIComponent(payload.incidentId)}`, { replace: true });
    } else {
      // Staff without key access cannot read an incident back (the guide's rule), so they
      // return to the dashboard, where My History lists what they added.
      navigate("/", { state: { notice: ADDED_NOTICE }, replace: true });
    }
  };

  const summary = [
    ...(errors.signedOut ? [{ message: SIGNED_OUT_MESSAGE }] : []),
    ...errors.form.map((message) => ({ message })),
    ...INCIDENT_FIELDS.filter((field) => errors.fields[field]).map((field) => ({
      message: errors.fields[field] ?? "",
      targetId: INCIDENT_TARGETS[field],
    })),
  ];

  const linkedIds = [draft.student?.id, ...draft.linked.map((l) => l.student.id)].filter(
    (id): id is string => Boolean(id),
  );

  return (
    <Page title="Add Incident" back="/">
      <form className="record-form" onSubmit={onSubmit} noValidate aria-label="Add Incident">
        <ErrorSummary items={summary} attempt={attempt} />
        {errors.signedOut && (
          <p className="signed-out">
            <Link to="/login?next=%2Fadd-incident" reloadDocument>
              Sign in again
            </Link>
          </p>
        )}

        <StudentTypeahead
          label="Student"
          inputId="incident-student"
          chosen={draft.student}
          onChoose={(student) => set("student", student)}
          excludeIds={draft.linked.map((l) => l.student.id)}
          error={fieldError("studentId")}
        />

        <TextAreaField
          label="Incident"
          id="incident-text"
          value={draft.text}
          onChange={(event) => set("text", event.target.value)}
          error={fieldError("text")}
          hint="Be accurate and specific. Spell linked students' names as the school's records do, so Hide Names can find them."
        />

        <FieldGroup
          legend="Categories"
          id="incident-categories"
          error={fieldError("categoryIds") ?? fieldError("subcategoryIds")}
          errorId="incident-categories-error"
          hint="Choose at least one."
        >
          {categoryError && !categoryData && <p className="field-error">The categories could not be loaded.</p>}
          <CategoryButtons
            categories={categories}
            chosenIds={draft.categoryIds}
            onChange={(ids) => set("categoryIds", ids)}
          />
          <SubcategoryButtons
            categories={categories}
            chosenCategoryIds={draft.categoryIds}
            chosenIds={draft.subcategoryIds}
            onChange={(ids) => set("subcategoryIds", ids)}
          />
        </FieldGroup>

        <div className="linked-students">
          <StudentTypeahead
            label="Linked student(s)"
            hint="Type a student's name to link them to this incident."
            inputId="incident-linked"
            excludeIds={linkedIds}
            onAdd={(student) =>
              set("linked", [...draft.linked, { student, categoryIds: null, shareDocuments: false }])
            }
            error={fieldError("linkedStudents")}
          />
          {draft.linked.length > 0 && (
            <ul className="linked-list" aria-label="Linked students">
              {draft.linked.map((link, index) => {
                const name = studentLabel(link.student, hidden);
                const own = link.categoryIds ?? draft.categoryIds;
                const change = (patch: Partial<(typeof draft.linked)[number]>): void =>
                  set(
                    "linked",
                    draft.linked.map((l, i) => (i === index ? { ...l, ...patch } : l)),
                  );
                return (
                  <li key={link.student.id} className="linked-card">
                    <p className="linked-name">{name}</p>
                    <p className="control-sublabel" aria-hidden="true">
                      Categories for {name}
                    </p>
                    <CategoryButtons
                      label={`Categories for ${name}`}
                      categories={categories}
                      chosenIds={own}
                      onChange={(ids) => change({ categoryIds: ids })}
                    />
                    <label className="check-label">
                      <input
                        type="checkbox"
                        checked={link.shareDocuments}
                        onChange={(event) => change({ shareDocuments: event.target.checked })}
                      />
                      Share documents with {name}
                    </label>
                    <button
                      type="button"
                      className="link-button"
                      onClick={() => set("linked", draft.linked.filter((_, i) => i !== index))}
                    >
                      Remove {name}
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </div>

        <FieldGroup
          legend="Body map"
          id="incident-body-map"
          error={fieldError("bodyMap")}
          errorId="incident-body-map-error"
        >
          <BodyMapField markers={draft.bodyMap} onChange={(markers) => set("bodyMap", markers)} />
        </FieldGroup>

        <DateTimeField
          id="incident-when"
          value={draft.occurred}
          onChange={(value) => set("occurred", value)}
          error={fieldError("occurredAt")}
        />

        <StaffAlertPicker
          inputId="incident-alert"
          studentId={draft.student?.id ?? null}
          categoryIds={draft.categoryIds}
          chosen={draft.alertStaff}
          onChange={(colleagues) => set("alertStaff", colleagues)}
          groupIds={draft.alertGroupIds}
          onGroupsChange={(ids) => set("alertGroupIds", ids)}
          error={fieldError("alertStaffIds")}
          groupError={fieldError("alertGroupIds")}
        />

        <FileDropZone
          id="incident-files"
          items={draft.files}
          setItems={setFiles}
          error={fieldError("attachmentIds")}
        />

        <AgencySelect
          legend="Agency involved"
          id="incident-agencies"
          chosenIds={draft.agencyIds}
          onChange={(ids) => set("agencyIds", ids)}
          error={fieldError("agencyIds")}
        />

        <button type="submit" className="primary-button" disabled={sending}>
          {sending ? "Adding…" : "Add Incident"}
        </button>
      </form>
    </Page>
  );
}
