/**
 * WebAuthn in JSON: the server sends PublicKeyCredential options with binary fields in
 * base64url and expects the browser's answer the same way (the W3C JSON forms).
 */

export function base64urlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  const binary = atob(padded);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function bytesToBase64url(value: ArrayBuffer | ArrayBufferView): string {
  const bytes =
    value instanceof ArrayBuffer
      ? new Uint8Array(value)
      : new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

interface DescriptorJson {
  id: string;
  type: PublicKeyCredentialType;
  transports?: AuthenticatorTransport[];
}

interface CreationOptionsJson extends Omit<
  PublicKeyCredentialCreationOptions,
  "challenge" | "user" | "excludeCredentials"
> {
  challenge: string;
  user: { id: string; name: string; displayName: string };
  excludeCredentials?: DescriptorJson[];
}

/** The server's options JSON as navigator.credentials.create() takes them. */
export function creationOptionsFromJson(json: string): PublicKeyCredentialCreationOptions {
  const options = JSON.parse(json) as CreationOptionsJson;
  return {
    ...options,
    challenge: base64urlToBytes(options.challenge),
    user: { ...options.user, id: base64urlToBytes(options.user.id) },
    excludeCredentials: (options.excludeCredentials ?? []).map((descriptor) => ({
      ...descriptor,
      id: base64urlToBytes(descriptor.id),
    })),
  };
}

/** A new credential as the JSON the server verifies (RegistrationResponseJSON). */
export function registrationToJson(credential: PublicKeyCredential): string {
  const response = credential.response as AuthenticatorAttestationResponse;
  const transports =
    typeof response.getTransports === "function" ? response.getTransports() : undefined;
  return JSON.stringify({
    id: credential.id,
    rawId: bytesToBase64url(credential.rawId),
    type: credential.type,
    response: {
      clientDataJSON: bytesToBase64url(response.clientDataJSON),
      attestationObject: bytesToBase64url(response.attestationObject),
      ...(transports ? { transports } : {}),
    },
    clientExtensionResults: credential.getClientExtensionResults(),
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
  });
}

/** Why the browser did not make a key, in words for the person at the screen. */
export function securityKeyProblem(error: unknown): string {
  const name = error instanceof DOMException ? error.name : "";
  if (name === "NotAllowedError" || name === "AbortError") {
    return "The security key was not added: the request was cancelled or timed out. Please try again.";
  }
  if (name === "InvalidStateError") return "This security key is already registered.";
  if (name === "NotSupportedError" || name === "SecurityError") {
    return "This browser cannot use security keys here.";
  }
  return "The security key could not be added. Please try again.";
}
