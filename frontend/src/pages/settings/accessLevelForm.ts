/** The access level form's state and how it becomes the API's input (no React here). */

export type GrantKey = "canViewPupils" | "canViewIncidents" | "canAddIncidents";

export const GRANT_COLUMNS: readonly { key: GrantKey; label: string }[] = [
  { key: "canViewPupils", label: "View pupils" },
  { key: "canViewIncidents", label: "View incidents" },
  { key: "canAddIncidents", label: "Add incidents" },
];

export interface GrantRow {
  categoryId: string;
  categoryName: string;
  colour: string;
  isActive: boolean;
  canViewPupils: boolean;
  canViewIncidents: boolean;
  canAddIncidents: boolean;
}

export interface AccessLevelForm {
  name: string;
  description: string;
  isDslTeam: boolean;
  yearGroupIds: string[];
  tutorGroupIds: string[];
  grants: GrantRow[];
}

export interface LevelLike {
  name: string;
  description: string;
  isDslTeam: boolean;
  yearGroups: readonly { id: string }[];
  tutorGroups: readonly { id: string }[];
  grants: readonly {
    category: { id: string; name: string; colour: string; isActive: boolean };
    canViewPupils: boolean;
    canViewIncidents: boolean;
    canAddIncidents: boolean;
  }[];
}

/** A level's form; with `blank`, the same categories with nothing granted (a new level). */
export function levelForm(level: LevelLike, blank = false): AccessLevelForm {
  return {
    name: blank ? "" : level.name,
    description: blank ? "" : level.description,
    isDslTeam: blank ? false : level.isDslTeam,
    yearGroupIds: blank ? [] : level.yearGroups.map((group) => group.id),
    tutorGroupIds: blank ? [] : level.tutorGroups.map((group) => group.id),
    grants: level.grants.map((grant) => ({
      categoryId: grant.category.id,
      categoryName: grant.category.name,
      colour: grant.category.colour,
      isActive: grant.category.isActive,
      canViewPupils: blank ? false : grant.canViewPupils,
      canViewIncidents: blank ? false : grant.canViewIncidents,
      canAddIncidents: blank ? false : grant.canAddIncidents,
    })),
  };
}

export function withId(ids: readonly string[], id: string, on: boolean): string[] {
  const rest = ids.filter((value) => value !== id);
  return on ? [...rest, id] : rest;
}

export function withGrant(
  form: AccessLevelForm,
  categoryId: string,
  key: GrantKey,
  value: boolean,
): AccessLevelForm {
  return {
    ...form,
    grants: form.grants.map((row) =>
      row.categoryId === categoryId ? { ...row, [key]: value } : row,
    ),
  };
}

/** Ticks or clears one column for every category. */
export function withColumn(form: AccessLevelForm, key: GrantKey, value: boolean): AccessLevelForm {
  return { ...form, grants: form.grants.map((row) => ({ ...row, [key]: value })) };
}

/** Problems the browser can spot before sending; the server checks again. */
export function validateLevel(form: AccessLevelForm): Record<string, string> {
  const errors: Record<string, string> = {};
  const name = form.name.trim();
  if (!name) errors.name = "Enter a name.";
  else if (name.length > 80) errors.name = "A name has at most 80 characters.";
  if (form.description.trim().length > 300) {
    errors.description = "A description has at most 300 characters.";
  }
  return errors;
}

export function levelInput(form: AccessLevelForm) {
  return {
    name: form.name.trim(),
    description: form.description.trim(),
    isDslTeam: form.isDslTeam,
    yearGroupIds: form.yearGroupIds,
    tutorGroupIds: form.tutorGroupIds,
    grants: form.grants.map((row) => ({
      categoryId: row.categoryId,
      canViewPupils: row.canViewPupils,
      canViewIncidents: row.canViewIncidents,
      canAddIncidents: row.canAddIncidents,
    })),
  };
}
