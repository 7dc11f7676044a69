/**
 * Sign-in, sign-out and password mutations: every screen reaches them through the functions
 * below and never sees the GraphQL shapes, so aligning with the server touches this file only.
 *
 * These operations are kept out of code generation (see codegen.ts) and typed by hand, because
 * they are checked against the exported schema only once it carries the accounts mutations.
 */
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { type Client, type OperationResult, gql } from "urql";

export interface FieldError {
  /** The form field the message belongs next to; null for the form as a whole. */
  field: string | null;
  code: string;
  message: string;
}

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
  errors: FieldError[];
}

interface LoginPayload {
  me: { fullName: string } | null;
  secondFactorRequired: boolean;
  mustEnrolSecondFactor: boolean;
  errors: FieldError[];
}

const ERRORS = "errors { field code message }";

const LoginMutation: TypedDocumentNode<
  { login: LoginPayload },
  { email: string; password: string }
> = gql`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) {
      me { fullName }
      secondFactorRequired
      mustEnrolSecondFactor
      ${ERRORS}
    }
  }
`;

const LogoutMutation: TypedDocumentNode<{ logout: Payload }, Record<string, never>> = gql`
  mutation Logout {
    logout { ok ${ERRORS} }
  }
`;

const RequestPasswordResetMutation: TypedDocumentNode<
  { requestPasswordReset: Payload },
  { email: string }
> = gql`
  mutation RequestPasswordReset($email: String!) {
    requestPasswordReset(email: $email) { ok ${ERRORS} }
  }
`;

const ResetPasswordMutation: TypedDocumentNode<
  { resetPassword: Payload },
  { uid: string; token: string; newPassword: string }
> = gql`
  mutation ResetPassword($uid: String!, $token: String!, $newPassword: String!) {
    resetPassword(uid: $uid, token: $token, newPassword: $newPassword) { ok ${ERRORS} }
  }
`;

const VerifySecondFactorMutation: TypedDocumentNode<
  { verifySecondFactor: Payload },
  { code: string }
> = gql`
  mutation VerifySecondFactor($code: String!) {
    verifySecondFactor(code: $code) { ok ${ERRORS} }
  }
`;

export const UNAVAILABLE_MESSAGE =
  "Haven could not be reached. Check your connection and try again; nothing you typed has been lost.";
export const SERVER_ERROR_MESSAGE =
  "Haven could not complete that just now. Please try again; nothing you typed has been lost.";

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
    errors: payload.errors,
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
