import { describe, expect, it } from "vitest";

import { parseConfig } from "./config";

describe("parseConfig", () => {
  it("reads what the shell provides", () => {
    const config = parseConfig(
      JSON.stringify({
        schoolName: "Alpha Academy",
        csrfCookieName: "__Host-csrftoken",
        graphqlUrl: "/graphql",
        blankScreenIdleSeconds: 5,
        headerLinks: [{ label: "Contact Support", href: "mailto:support@example.org" }, { x: 1 }],
        version: "0.1.0",
      }),
    );
    expect(config).toEqual({
      schoolName: "Alpha Academy",
      csrfCookieName: "__Host-csrftoken",
      graphqlUrl: "/graphql",
      blankScreenIdleSeconds: 5,
      headerLinks: [{ label: "Contact Support", href: "mailto:support@example.org" }],
      version: "0.1.0",
    });
  });

  it("falls back to fifteen minutes and safe defaults on a missing or broken shell", () => {
    expect(parseConfig("{not json").blankScreenIdleSeconds).toBe(900);
    expect(parseConfig(null).csrfCookieName).toBe("csrftoken");
  });
});
