import { CombinedError, type OperationResult } from "urql";
import { describe, expect, it } from "vitest";

import { SERVER_ERROR_MESSAGE, SESSION_ENDED_CODE, UNAVAILABLE_MESSAGE, outcomeOf } from "./outcome";

type Data = { thing: { errors: { field: string | null; code: string; message: string }[] } };

function result(partial: Partial<OperationResult<Data>>): OperationResult<Data> {
  return { stale: false, hasNext: false, operation: {} as never, ...partial } as OperationResult<Data>;
}

const pick = (data: Data) => ({ errors: data.thing.errors, value: "done" });

describe("outcomeOf", () => {
  it("passes the value on success", () => {
    expect(outcomeOf(result({ data: { thing: { errors: [] } } }), pick)).toEqual({
      ok: true,
      value: "done",
    });
  });

  it("keeps typed errors for their fields, an empty field meaning the whole form", () => {
    const outcome = outcomeOf(
      result({
        data: {
          thing: {
            errors: [
              { field: "name", code: "required", message: "Name the folder." },
              { field: "", code: "forbidden", message: "Only school admins manage the library." },
            ],
          },
        },
      }),
      pick,
    );
    expect(outcome).toEqual({
      ok: false,
      errors: [
        { field: "name", code: "required", message: "Name the folder." },
        { field: null, code: "forbidden", message: "Only school admins manage the library." },
      ],
    });
  });

  it("tells a signed-out session apart from other problems", () => {
    const signedOut = outcomeOf(
      result({
        data: { thing: { errors: [{ field: null, code: "not_signed_in", message: "Please sign in." }] } },
      }),
      pick,
    );
    expect(signedOut.ok ? null : signedOut.errors[0]?.code).toBe(SESSION_ENDED_CODE);

    const refused = outcomeOf(
      result({
        error: new CombinedError({
          networkError: new Error("Forbidden"),
          response: new Response("", { status: 403 }),
        }),
      }),
      pick,
    );
    expect(refused.ok ? null : refused.errors[0]?.code).toBe(SESSION_ENDED_CODE);
  });

  it("says when Haven could not be reached or failed", () => {
    const offline = outcomeOf(
      result({ error: new CombinedError({ networkError: new TypeError("Failed to fetch") }) }),
      pick,
    );
    expect(offline).toEqual({
      ok: false,
      errors: [{ field: null, code: "unavailable", message: UNAVAILABLE_MESSAGE }],
    });
    const failed = outcomeOf(
      result({ error: new CombinedError({ graphQLErrors: ["Unexpected error."] }) }),
      pick,
    );
    expect(failed.ok ? null : failed.errors[0]?.message).toBe(SERVER_ERROR_MESSAGE);
  });
});
