import { describe, expect, it } from "vitest";

import {
  levelForm,
  levelInput,
  validateLevel,
  withColumn,
  withGrant,
  withId,
} from "./accessLevelForm";
import {
  EMPTY_STAFF_FORM,
  actionLabel,
  fieldLabel,
  inviteInput,
  memberForm,
  payloadErrors,
  updateInput,
  validateStaff,
} from "./staffForm";

const PASTORAL = {
  name: "Pastoral",
  description: "Pastoral team",
  isDslTeam: false,
  yearGroups: [{ id: "Y7" }],
  tutorGroups: [],
  grants: [
    {
      category: { id: "C1", name: "Bullying", colour: "#9b2c2c", isActive: true },
      canViewPupils: true,
      canViewIncidents: true,
      canAddIncidents: true,
    },
    {
      category: { id: "C2", name: "Prevent", colour: "#1a202c", isActive: false },
      canViewPupils: false,
      canViewIncidents: false,
      canAddIncidents: true,
    },
  ],
};

describe("access level form", () => {
  it("starts a new level with every category and nothing granted", () => {
    const form = levelForm(PASTORAL, true);
    expect(form.name).toBe("");
    expect(form.yearGroupIds).toEqual([]);
    expect(form.grants.map((row) => row.categoryName)).toEqual(["Bullying", "Prevent"]);
    expect(form.grants.every((row) => !row.canAddIncidents && !row.canViewPupils)).toBe(true);
    expect(form.grants[1]?.isActive).toBe(false);
  });

  it("changes one grant, or a whole column, without touching the rest", () => {
    const form = levelForm(PASTORAL);
    const changed = withGrant(form, "C1", "canViewIncidents", false);
    expect(changed.grants[0]?.canViewIncidents).toBe(false);
    expect(changed.grants[0]?.canViewPupils).toBe(true);
    expect(form.grants[0]?.canViewIncidents).toBe(true);
    const column = withColumn(form, "canViewPupils", true);
    expect(column.grants.map((row) => row.canViewPupils)).toEqual([true, true]);
  });

  it("sends trimmed names and one grant per category", () => {
    const form = { ...levelForm(PASTORAL), name: "  Heads of Year  " };
    const input = levelInput(form);
    expect(input.name).toBe("Heads of Year");
    expect(input.yearGroupIds).toEqual(["Y7"]);
    expect(input.grants).toEqual([
      { categoryId: "C1", canViewPupils: true, canViewIncidents: true, canAddIncidents: true },
      { categoryId: "C2", canViewPupils: false, canViewIncidents: false, canAddIncidents: true },
    ]);
  });

  it("needs a name of at most 80 characters", () => {
    expect(validateLevel({ ...levelForm(PASTORAL), name: "   " })).toEqual({
      name: "Enter a name.",
    });
    expect(validateLevel({ ...levelForm(PASTORAL), name: "x".repeat(81) }).name).toMatch(/80/);
    expect(validateLevel(levelForm(PASTORAL))).toEqual({});
  });

  it("ticks and unticks ids once", () => {
    expect(withId(["a"], "b", true)).toEqual(["a", "b"]);
    expect(withId(["a", "b"], "b", true)).toEqual(["a", "b"]);
    expect(withId(["a", "b"], "a", false)).toEqual(["b"]);
  });
});

const NIA = {
  email: "nia@alpha.example",
  firstName: "Nia",
  lastName: "Newton",
  jobTitle: "Teacher",
  accessLevel: { id: "L1" },
  isKeyHolder: true,
  isSchoolAdmin: false,
  alertGroups: [{ id: "G1" }, { id: "G2" }],
};

describe("staff form", () => {
  it("asks for an e-mail address and both names", () => {
    expect(validateStaff(EMPTY_STAFF_FORM)).toEqual({
      email: "Enter their e-mail address.",
      firstName: "Enter their first name.",
      lastName: "Enter their last name.",
    });
    expect(validateStaff({ ...memberForm(NIA), email: "nia at school" }).email).toMatch(
      /e-mail address like/,
    );
    expect(validateStaff(memberForm(NIA))).toEqual({});
  });

  it("invites with no access level as null", () => {
    const input = inviteInput({ ...EMPTY_STAFF_FORM, email: " a@b.example ", firstName: "A" });
    expect(input.email).toBe("a@b.example");
    expect(input.accessLevelId).toBeNull();
  });

  it("sends only what changed, and null to remove the access level", () => {
    const before = memberForm(NIA);
    expect(updateInput(before, before)).toEqual({});
    expect(updateInput(before, { ...before, alertGroupIds: ["G2", "G1"] })).toEqual({});
    expect(
      updateInput(before, {
        ...before,
        jobTitle: "Head of Year 7 ",
        accessLevelId: "",
        isSchoolAdmin: true,
        alertGroupIds: ["G1"],
      }),
    ).toEqual({
      jobTitle: "Head of Year 7",
      accessLevelId: null,
      isSchoolAdmin: true,
      alertGroupIds: ["G1"],
    });
  });

  it("keeps a missing error field as the whole form's", () => {
    expect(payloadErrors([{ code: "last_admin", message: "m" }])).toEqual([
      { field: null, code: "last_admin", message: "m" },
    ]);
  });

  it("names history fields and actions in plain words", () => {
    expect(fieldLabel("is_key_holder")).toBe("Key access");
    expect(fieldLabel("grants: Bullying")).toBe("Bullying grants");
    expect(fieldLabel("colour")).toBe("Colour");
    expect(actionLabel("staff.updated")).toBe("changed");
    expect(actionLabel("access_level.created")).toBe("added");
    expect(actionLabel("staff.sync_updated")).toBe("changed (MIS sync)");
    expect(fieldLabel("mis_id")).toBe("MIS id");
  });
});
