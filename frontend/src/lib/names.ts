/**
 * Hide Names: the API marks where pupils' names occur in a text (incident and action text,
 * alert lines) with spans; this stars those parts out.
 *
 * Spans are half-open `[start, end)` offsets in UTF-16 code units, as the API sends them
 * (safeguarding/names.py) and as JavaScript indexes strings, so a name after an emoji or
 * other astral character still lines up.
 */

export interface NameSpan {
  start: number;
  end: number;
}

export interface TextSegment {
  text: string;
  isName: boolean;
}

/** Clamp, drop empty spans and merge overlapping or touching ones, in order. */
export function normaliseSpans(spans: readonly NameSpan[], length: number): NameSpan[] {
  const clamped = spans
    .map((span) => ({
      start: Math.max(0, Math.min(length, Math.trunc(span.start))),
      end: Math.max(0, Math.min(length, Math.trunc(span.end))),
    }))
    .filter((span) => span.end > span.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const merged: NameSpan[] = [];
  for (const span of clamped) {
    const last = merged.at(-1);
    if (last && span.start <= last.end) {
      last.end = Math.max(last.end, span.end);
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

/** Splits text into plain and name parts, so a component can render each part itself. */
export function splitByNames(text: string, spans: readonly NameSpan[]): TextSegment[] {
  const segments: TextSegment[] = [];
  let position = 0;
  for (const span of normaliseSpans(spans, text.length)) {
    if (span.start > position) {
      segments.push({ text: text.slice(position, span.start), isName: false });
    }
    segments.push({ text: text.slice(span.start, span.end), isName: true });
    position = span.end;
  }
  if (position < text.length) {
    segments.push({ text: text.slice(position), isName: false });
  }
  return segments;
}

/**
 * Stars out a name, keeping its spaces so the line wraps as before and the page does not
 * jump when names are hidden or shown.
 */
export function starOut(name: string): string {
  return Array.from(name, (character) => (/\s/u.test(character) ? character : "*")).join("");
}

/** The text with every name span starred out. */
export function maskNames(text: string, spans: readonly NameSpan[]): string {
  return splitByNames(text, spans)
    .map((segment) => (segment.isName ? starOut(segment.text) : segment.text))
    .join("");
}
