/** Settings the Django-rendered HTML shell hands to the app (see tenants/frontend.py). */

export interface HeaderLink {
  label: string;
  href: string;
}

export interface AppConfig {
  schoolName: string;
  /** `csrftoken` in development, `__Host-csrftoken` in production. */
  csrfCookieName: string;
  graphqlUrl: string;
  /** Blank Screen comes on after this long without activity. */
  blankScreenIdleSeconds: number;
  headerLinks: HeaderLink[];
  /** Haven's version (the server's package metadata), shown in the footer. */
  version: string;
}

const DEFAULTS: AppConfig = {
  schoolName: "Haven",
  csrfCookieName: "csrftoken",
  graphqlUrl: "/graphql",
  blankScreenIdleSeconds: 15 * 60,
  headerLinks: [],
  version: "",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function parseConfig(raw: string | null | undefined): AppConfig {
  if (!raw) return DEFAULTS;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return DEFAULTS;
  }
  if (!isRecord(data)) return DEFAULTS;
  const links = Array.isArray(data.headerLinks)
    ? data.headerLinks.filter(
        (link): link is HeaderLink =>
          isRecord(link) && typeof link.label === "string" && typeof link.href === "string",
      )
    : DEFAULTS.headerLinks;
  const idle = data.blankScreenIdleSeconds;
  return {
    schoolName: typeof data.schoolName === "string" ? data.schoolName : DEFAULTS.schoolName,
    csrfCookieName:
      typeof data.csrfCookieName === "string" ? data.csrfCookieName : DEFAULTS.csrfCookieName,
    graphqlUrl: typeof data.graphqlUrl === "string" ? data.graphqlUrl : DEFAULTS.graphqlUrl,
    blankScreenIdleSeconds:
      typeof idle === "number" && idle > 0 ? idle : DEFAULTS.blankScreenIdleSeconds,
    headerLinks: links,
    version: typeof data.version === "string" ? data.version : DEFAULTS.version,
  };
}

export function readConfig(doc: Document = document): AppConfig {
  return parseConfig(doc.getElementById("haven-config")?.textContent);
}
