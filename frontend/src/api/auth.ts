/**
 * Sign-in, sign-out and password mutations: every screen reaches them through the functions
 * below and never sees the GraphQL shapes, so aligning with the server touches this file only.
 * Their types are generated from the exported schema, so a change there that breaks them
 * fails the build.
 */
import type { Client, OperationResult } from "urql";

import { graphql } from "../gql";
import {
  type FieldError,
  type RawError,
  SERVER_ERROR_MESSAGE,
  UNAVAILABLE_MESSAGE,
  typedErrors,
} from "./outcome";

export { SERVER_ERROR_MESSAGE, UNAVAILABLE_MESSAGE };

export interface AuthResult {
  ok: boolean;
  /** After a correct password, key holders still have to give their second factor. */
  secondFactorRequired: boolean;
  /** A key holder without a second factor yet, to be led to enrol one. */
  mustEnrolSecondFactor: boolean;
  errors: FieldError[];
}

interface Payload {
  ok: boolean;
  // As generated: nullable fields come back optional.
  errors: readonly RawError[];
}

const LoginMutation = graphql(`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      me {
        fullName
      }
      secondFactorRequired
      mustEnrolSecondFactor
      errors {
        ...ErrorFields
      }
    }
  }
`);

const LogoutMutation = graphql(`
  mutation Logout {
    logout {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const RequestPasswordResetMutation = graphql(`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const ResetPasswordMutation = graphql(`
  mutation ResetPassword($uid: String!, $token: String!, $newPassword: String!) {
    resetPassword(uid: $uid, token: $token, newPassword: $newPassword) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const VerifySecondFactorMutation = graphql(`
  mutation VerifySecondFactor($code: String!) {
    verifySecondFactor(code: $code) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);


function failed(code: string, message: string): AuthResult {
  return {
    ok: false,
    secondFactorRequired: false,
    mustEnrolSecondFactor: false,
    errors: [{ field: null, code, message }],
  };
}

function toResult<T>(
  result: OperationResult<T>,
  pick: (
    data: T,
  ) => Payload & Partial<Pick<AuthResult, "secondFactorRequired" | "mustEnrolSecondFactor">>,
): AuthResult {
  if (result.error?.networkError) return failed("unavailable", UNAVAILABLE_MESSAGE);
  if (result.error || !result.data) return failed("server_error", SERVER_ERROR_MESSAGE);
  const payload = pick(result.data);
  return {
    ok: payload.ok,
    secondFactorRequired: payload.secondFactorRequired ?? false,
    mustEnrolSecondFactor: payload.mustEnrolSecondFactor ?? false,
    errors: typedErrors(payload.errors),
  };
}

export async function login(client: Client, email: string, password: string): Promise<AuthResult> {
  const result = await client.mutation(LoginMutation, { email, password }).toPromise();
  return toResult(result, (data) => ({
    ...data.login,
    ok: data.login.me !== null && data.login.errors.length === 0,
  }));
}

export async function logout(client: Client): Promise<AuthResult> {
  const result = await client.mutation(LogoutMutation, {}).toPromise();
  return toResult(result, (data) => data.logout);
}

export async function requestPasswordReset(client: Client, email: string): Promise<AuthResult> {
  const result = await client.mutation(RequestPasswordResetMutation, { email }).toPromise();
  return toResult(result, (data) => data.requestPasswordReset);
}

export async function resetPassword(
  client: Client,
  uid: string,
  token: string,
  newPassword: string,
): Promise<AuthResult> {
  const result = await client
    .mutation(ResetPasswordMutation, { uid, token, newPassword })
    .toPromise();
  return toResult(result, (data) => data.resetPassword);
}

export async function verifySecondFactor(client: Client, code: string): Promise<AuthResult> {
  const result = await client.mutation(VerifySecondFactorMutation, { code }).toPromise();
  return toResult(result, (data) => data.verifySecondFactor);
}
