/** Account Settings' GraphQL operations, each answering with an Outcome (see api/outcome.ts). */
import type { Client } from "urql";

import { type Outcome, outcomeOf } from "../../api/outcome";
import { graphql } from "../../gql";

export const AccountQuery = graphql(`
  query AccountSettings {
    me {
      mustEnrolSecondFactor
    }
    mySecondFactors {
      id
      kind
      name
      createdAt
      lastUsedAt
      remainingCodes
    }
    notificationPreferences {
      alertEmails
    }
    mySessions {
      id
      createdAt
      lastSeenAt
      ipAddress
      userAgent
      current
    }
  }
`);


const ChangePasswordMutation = graphql(`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const ReauthenticateMutation = graphql(`
  mutation Reauthenticate($password: String!) {
    reauthenticate(password: $password) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const BeginTotpMutation = graphql(`
  mutation BeginTotpEnrolment {
    beginTotpEnrolment {
      otpauthUri
      secret
      qrCodeSvg
      errors {
        ...ErrorFields
      }
    }
  }
`);

const ConfirmTotpMutation = graphql(`
  mutation ConfirmTotpEnrolment($code: String!) {
    confirmTotpEnrolment(code: $code) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const RecoveryCodesMutation = graphql(`
  mutation GenerateRecoveryCodes {
    generateRecoveryCodes {
      codes
      errors {
        ...ErrorFields
      }
    }
  }
`);

const RemoveFactorMutation = graphql(`
  mutation RemoveSecondFactor($id: ID!) {
    removeSecondFactor(id: $id) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const BeginKeyMutation = graphql(`
  mutation BeginSecurityKeyRegistration {
    beginSecurityKeyRegistration {
      optionsJson
      errors {
        ...ErrorFields
      }
    }
  }
`);

const CompleteKeyMutation = graphql(`
  mutation CompleteSecurityKeyRegistration($credentialJson: String!, $name: String!) {
    completeSecurityKeyRegistration(credentialJson: $credentialJson, name: $name) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

const PreferencesMutation = graphql(`
  mutation UpdateNotificationPreferences($alertEmails: Boolean!) {
    notificationPreferencesUpdate(alertEmails: $alertEmails) {
      alertEmails
    }
  }
`);

const EndSessionMutation = graphql(`
  mutation EndSession($id: ID!) {
    endSession(id: $id) {
      ok
      errors {
        ...ErrorFields
      }
    }
  }
`);

export async function changePassword(
  client: Client,
  currentPassword: string,
  newPassword: string,
): Promise<Outcome<null>> {
  const result = await client
    .mutation(ChangePasswordMutation, { currentPassword, newPassword })
    .toPromise();
  return outcomeOf(result, (data) => ({ errors: data.changePassword.errors, value: null }));
}

export async function reauthenticate(client: Client, password: string): Promise<Outcome<null>> {
  const result = await client.mutation(ReauthenticateMutation, { password }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.reauthenticate.errors, value: null }));
}

export interface TotpSecret {
  otpauthUri: string;
  secret: string;
  /** The otpauth URI as a standalone SVG QR code; empty when the server sent none. */
  qrCodeSvg: string;
}

export async function beginTotpEnrolment(client: Client): Promise<Outcome<TotpSecret>> {
  const result = await client.mutation(BeginTotpMutation, {}).toPromise();
  return outcomeOf(result, (data) => ({
    errors: data.beginTotpEnrolment.errors,
    value: {
      otpauthUri: data.beginTotpEnrolment.otpauthUri ?? "",
      secret: data.beginTotpEnrolment.secret ?? "",
      qrCodeSvg: data.beginTotpEnrolment.qrCodeSvg ?? "",
    },
  }));
}

export async function confirmTotpEnrolment(client: Client, code: string): Promise<Outcome<null>> {
  const result = await client.mutation(ConfirmTotpMutation, { code }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.confirmTotpEnrolment.errors, value: null }));
}

export async function generateRecoveryCodes(client: Client): Promise<Outcome<string[]>> {
  const result = await client.mutation(RecoveryCodesMutation, {}).toPromise();
  return outcomeOf(result, (data) => ({
    errors: data.generateRecoveryCodes.errors,
    value: data.generateRecoveryCodes.codes,
  }));
}

export async function removeSecondFactor(client: Client, id: string): Promise<Outcome<null>> {
  const result = await client.mutation(RemoveFactorMutation, { id }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.removeSecondFactor.errors, value: null }));
}

export async function beginSecurityKeyRegistration(client: Client): Promise<Outcome<string>> {
  const result = await client.mutation(BeginKeyMutation, {}).toPromise();
  return outcomeOf(result, (data) => ({
    errors: data.beginSecurityKeyRegistration.errors,
    value: data.beginSecurityKeyRegistration.optionsJson ?? "",
  }));
}

export async function completeSecurityKeyRegistration(
  client: Client,
  credentialJson: string,
  name: string,
): Promise<Outcome<null>> {
  const result = await client
    .mutation(CompleteKeyMutation, { credentialJson, name })
    .toPromise();
  return outcomeOf(result, (data) => ({
    errors: data.completeSecurityKeyRegistration.errors,
    value: null,
  }));
}

export async function updateAlertEmails(
  client: Client,
  alertEmails: boolean,
): Promise<Outcome<boolean>> {
  const result = await client.mutation(PreferencesMutation, { alertEmails }).toPromise();
  return outcomeOf(result, (data) =>
    data.notificationPreferencesUpdate
      ? { errors: [], value: data.notificationPreferencesUpdate.alertEmails }
      : { errors: [{ field: null, code: "not_signed_in", message: "Please sign in." }], value: false },
  );
}

export async function endSession(client: Client, id: string): Promise<Outcome<null>> {
  const result = await client.mutation(EndSessionMutation, { id }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.endSession.errors, value: null }));
}
