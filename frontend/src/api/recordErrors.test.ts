import { CombinedError } from "urql";
import { describe, expect, it } from "vitest";

import { mapRecordErrors, requestFailure } from "./outcome";

describe("mapRecordErrors", () => {
  it("puts each error by the form field that shows it, a path under its first name", () => {
    const mapped = mapRecordErrors(
      [
        { field: "studentId", code: "not_found", message: "Choose a student." },
        { field: "categoryIds", code: "required", message: "Choose at least one category." },
        {
          field: "linkedStudents.0.categoryIds",
          code: "required",
          message: "A linked student needs at least one category.",
        },
        { field: "bodyMap", code: "invalid", message: "A marker is outside the body map." },
        { field: "bodyMap", code: "duplicate", message: "Each marker needs its own number." },
        { field: "somethingElse", code: "x", message: "Other." },
      ],
      ["studentId", "categoryIds", "linkedStudents", "bodyMap"],
    );
    expect(mapped.fields).toEqual({
      studentId: "Choose a student.",
      categoryIds: "Choose at least one category.",
      linkedStudents: "A linked student needs at least one category.",
      bodyMap: "A marker is outside the body map. Each marker needs its own number.",
    });
    expect(mapped.form).toEqual(["Other."]);
    expect(mapped.signedOut).toBe(false);
  });

  it("tells apart an ended session", () => {
    expect(
      mapRecordErrors([{ field: null, code: "not_signed_in", message: "Please sign in." }], []).signedOut,
    ).toBe(true);
    const forbidden = new CombinedError({ response: new Response("", { status: 403 }) });
    expect(requestFailure(forbidden).signedOut).toBe(true);
    const offline = new CombinedError({ networkError: new TypeError("Failed to fetch") });
    expect(requestFailure(offline).form[0]).toMatch(/could not be reached/);
  });
});
