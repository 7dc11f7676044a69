/**
 * Where to go after signing in (the `next` of /login and /second-factor): a path on this
 * school's own host, or the Dashboard.
 *
 * Checking the text is not enough, because the browser's URL parser rewrites it before it
 * navigates: it drops tabs and newlines (`/%09/example.org` becomes `//example.org`, another
 * host), reads a backslash as a slash and trims control characters. So anything the parser
 * would rewrite is refused, the rest is resolved against this page's origin exactly as the
 * browser would resolve it, and only a same-origin result is kept, as the path that was
 * checked rather than the text that came in.
 */
export function safeNextPath(
  next: string | null | undefined,
  origin: string = window.location.origin,
): string {
  const fallback = "/";
  if (!next || !next.startsWith("/") || next.startsWith("//")) return fallback;
  // Control characters (which include tab, newline and NUL), backslashes and spaces: none
  // is part of a path we link to, and each is rewritten or trimmed by the URL parser.
  if (/[\u0000-\u0020\u007f\\]/.test(next)) return fallback;
  let resolved: URL;
  try {
    resolved = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (resolved.origin !== new URL(origin).origin) return fallback;
  const path = `${resolved.pathname}${resolved.search}${resolved.hash}`;
  // The resolved path itself must not read as another host when used as a link.
  return path.startsWith("//") ? fallback : path;
}
