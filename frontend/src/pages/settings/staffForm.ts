/** The staff form's state and how it becomes the API's input (no React here). */

export interface StaffForm {
  email: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
  /** "" for no access level. */
  accessLevelId: string;
  isKeyHolder: boolean;
  isSchoolAdmin: boolean;
  alertGroupIds: string[];
}

export interface MemberLike {
  email: string;
  firstName: string;
  lastName: string;
  jobTitle: string;
  accessLevel?: { id: string } | null;
  isKeyHolder: boolean;
  isSchoolAdmin: boolean;
  alertGroups: readonly { id: string }[];
}

export const EMPTY_STAFF_FORM: StaffForm = {
  email: "",
  firstName: "",
  lastName: "",
  jobTitle: "",
  accessLevelId: "",
  isKeyHolder: false,
  isSchoolAdmin: false,
  alertGroupIds: [],
};

export function memberForm(member: MemberLike): StaffForm {
  return {
    email: member.email,
    firstName: member.firstName,
    lastName: member.lastName,
    jobTitle: member.jobTitle,
    accessLevelId: member.accessLevel?.id ?? "",
    isKeyHolder: member.isKeyHolder,
    isSchoolAdmin: member.isSchoolAdmin,
    alertGroupIds: member.alertGroups.map((group) => group.id),
  };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Problems the browser can spot before sending; the server checks again. */
export function validateStaff(form: StaffForm): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!form.email.trim()) errors.email = "Enter their e-mail address.";
  else if (!EMAIL.test(form.email.trim())) {
    errors.email = "Enter an e-mail address like name@school.org.uk.";
  }
  if (!form.firstName.trim()) errors.firstName = "Enter their first name.";
  if (!form.lastName.trim()) errors.lastName = "Enter their last name.";
  return errors;
}

export function inviteInput(form: StaffForm) {
  return {
    email: form.email.trim(),
    firstName: form.firstName.trim(),
    lastName: form.lastName.trim(),
    jobTitle: form.jobTitle.trim(),
    accessLevelId: form.accessLevelId || null,
    isKeyHolder: form.isKeyHolder,
    isSchoolAdmin: form.isSchoolAdmin,
    alertGroupIds: form.alertGroupIds,
  };
}

export interface StaffChanges {
  email?: string;
  firstName?: string;
  lastName?: string;
  jobTitle?: string;
  accessLevelId?: string | null;
  isKeyHolder?: boolean;
  isSchoolAdmin?: boolean;
  alertGroupIds?: string[];
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value) => b.includes(value));
}

/** Only what changed, so saving one field never overwrites another admin's other change. */
export function updateInput(before: StaffForm, after: StaffForm): StaffChanges {
  const changes: StaffChanges = {};
  for (const key of ["email", "firstName", "lastName", "jobTitle"] as const) {
    if (after[key].trim() !== before[key]) changes[key] = after[key].trim();
  }
  if (after.accessLevelId !== before.accessLevelId) {
    changes.accessLevelId = after.accessLevelId || null;
  }
  if (after.isKeyHolder !== before.isKeyHolder) changes.isKeyHolder = after.isKeyHolder;
  if (after.isSchoolAdmin !== before.isSchoolAdmin) changes.isSchoolAdmin = after.isSchoolAdmin;
  if (!sameSet(after.alertGroupIds, before.alertGroupIds)) {
    changes.alertGroupIds = after.alertGroupIds;
  }
  return changes;
}

/** How the history names a field, e.g. is_key_holder → "Key access". */
const FIELD_LABELS: Record<string, string> = {
  email: "E-mail",
  mis_id: "MIS id",
  first_name: "First name",
  last_name: "Last name",
  job_title: "Job title",
  access_level: "Access level",
  is_key_holder: "Key access",
  is_school_admin: "School admin",
  is_active: "Active",
  alert_groups: "Alert groups",
  is_dsl_team: "DSL team",
  year_groups: "Year groups",
  tutor_groups: "Tutor groups",
  name: "Name",
  description: "Description",
};

export function fieldLabel(field: string): string {
  if (FIELD_LABELS[field]) return FIELD_LABELS[field];
  if (field.startsWith("grants: ")) return `${field.slice(8)} grants`;
  const words = field.replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const ACTION_LABELS: Record<string, string> = {
  created: "added",
  updated: "changed",
  deleted: "deleted",
  invited: "invited",
  deactivated: "deactivated",
  reactivated: "reactivated",
  invitation_resent: "resent the invitation to",
  invited_by_operator: "invited (operator)",
  // "staff.sync": one MIS sync call's counts; the records it changed follow as their own lines.
  sync: "synced staff from the MIS",
  sync_created: "added (MIS sync)",
  sync_updated: "changed (MIS sync)",
  sync_refused: "was refused a change (MIS sync) to",
};

/** "staff.updated" → "changed". */
export function actionLabel(action: string): string {
  const verb = action.slice(action.indexOf(".") + 1);
  return ACTION_LABELS[verb] ?? verb.replace(/_/g, " ");
}

/** Payload errors in the shape `errorsByField` takes (a missing field is the whole form's). */
export function payloadErrors(
  errors: readonly { field?: string | null; code: string; message: string }[],
): { field: string | null; code: string; message: string }[] {
  return errors.map((error) => ({
    field: error.field ?? null,
    code: error.code,
    message: error.message,
  }));
}
