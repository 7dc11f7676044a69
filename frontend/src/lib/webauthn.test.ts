import { describe, expect, it } from "vitest";

import {
  base64urlToBytes,
  bytesToBase64url,
  creationOptionsFromJson,
  securityKeyProblem,
} from "./webauthn";

describe("base64url", () => {
  it("round-trips bytes, without padding or + and /", () => {
    const bytes = new Uint8Array([251, 255, 191, 0, 1, 2, 3]);
    const text = bytesToBase64url(bytes);
    expect(text).toBe("-_-_AAECAw");
    expect(Array.from(base64urlToBytes(text))).toEqual(Array.from(bytes));
  });
});

describe("creationOptionsFromJson", () => {
  it("turns the server's base64url fields into bytes for navigator.credentials.create", () => {
    const options = creationOptionsFromJson(
      JSON.stringify({
        rp: { id: "alpha.localhost", name: "Alpha Academy" },
        user: { id: "aGF2ZW4tc3RhZmYtMQ", name: "wendy@alpha.example", displayName: "Wendy" },
        challenge: "AAEC",
        pubKeyCredParams: [{ type: "public-key", alg: -7 }],
        excludeCredentials: [{ id: "AQID", type: "public-key", transports: ["usb"] }],
        authenticatorSelection: { residentKey: "discouraged", userVerification: "discouraged" },
      }),
    );
    expect(Array.from(options.challenge as Uint8Array)).toEqual([0, 1, 2]);
    expect(new TextDecoder().decode(options.user.id as Uint8Array)).toBe("haven-staff-1");
    expect(options.user.name).toBe("wendy@alpha.example");
    expect(Array.from(options.excludeCredentials?.[0]?.id as Uint8Array)).toEqual([1, 2, 3]);
    expect(options.excludeCredentials?.[0]?.transports).toEqual(["usb"]);
    expect(options.rp.id).toBe("alpha.localhost");
  });
});

describe("securityKeyProblem", () => {
  it("says in words why no key was made", () => {
    expect(securityKeyProblem(new DOMException("", "NotAllowedError"))).toMatch(
      /cancelled or timed out/,
    );
    expect(securityKeyProblem(new DOMException("", "InvalidStateError"))).toBe(
      "This security key is already registered.",
    );
    expect(securityKeyProblem(new Error("boom"))).toBe(
      "The security key could not be added. Please try again.",
    );
  });
});
