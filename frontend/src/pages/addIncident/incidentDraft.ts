import type { ChosenColleague } from "../../components/forms/StaffAlertPicker";
import type { ChosenStudent } from "../../components/forms/StudentTypeahead";
import type { UploadItem } from "../../components/forms/FileDropZone";
import { type LocalDateTime, toLondon } from "../../lib/londonTime";
import type { BodyMapMarker } from "./BodyMapField";

export interface LinkedStudentDraft {
  student: ChosenStudent;
  /** Null: the same categories as the incident (until one is changed for this pupil). */
  categoryIds: string[] | null;
  shareDocuments: boolean;
}

export interface IncidentDraft {
  student: ChosenStudent | null;
  text: string;
  categoryIds: string[];
  subcategoryIds: string[];
  linked: LinkedStudentDraft[];
  bodyMap: BodyMapMarker[];
  occurred: LocalDateTime;
  alertStaff: ChosenColleague[];
  alertGroupIds: string[];
  files: UploadItem[];
  agencyIds: string[];
}

/** Drafts are kept per person, so whoever signs in next in this tab never sees another's. */
export function incidentDraftKey(email: string): string {
  return `haven:draft:add-incident:${email}`;
}

export function emptyIncidentDraft(): IncidentDraft {
  return {
    student: null,
    text: "",
    categoryIds: [],
    subcategoryIds: [],
    linked: [],
    bodyMap: [],
    occurred: toLondon(new Date()),
    alertStaff: [],
    alertGroupIds: [],
    files: [],
    agencyIds: [],
  };
}

/** A stored draft keeps only the files that finished uploading; the rest were cut short. */
export function reviveIncidentDraft(draft: IncidentDraft): IncidentDraft {
  return { ...draft, files: draft.files.filter((file) => file.status === "done") };
}

/** The form fields the API's errors can name, and the form's name for the API's. */
export const INCIDENT_FIELDS = [
  "studentId",
  "text",
  "categoryIds",
  "subcategoryIds",
  "linkedStudents",
  "bodyMap",
  "occurredAt",
  "alertStaffIds",
  "alertGroupIds",
  "attachmentIds",
  "agencyIds",
] as const;

/** The element each field's error sends the summary link to. */
export const INCIDENT_TARGETS: Record<string, string> = {
  studentId: "incident-student",
  text: "incident-text",
  categoryIds: "incident-categories",
  subcategoryIds: "incident-categories",
  linkedStudents: "incident-linked",
  bodyMap: "incident-body-map",
  occurredAt: "incident-when",
  alertStaffIds: "incident-alert",
  alertGroupIds: "incident-alert",
  attachmentIds: "incident-files",
  agencyIds: "incident-agencies",
};
