/**
 * Date and time inputs in UK time: the form shows and takes Europe/London wall-clock time,
 * whatever the computer's own zone, and sends the moment as an ISO 8601 instant.
 */

const TIME_ZONE = "Europe/London";

const partsFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

export interface LocalDateTime {
  /** `YYYY-MM-DD`, as an `<input type="date">` holds it. */
  date: string;
  /** `HH:MM`, as an `<input type="time">` holds it. */
  time: string;
}

/** The wall-clock date and time in London at an instant. */
export function toLondon(instant: Date): LocalDateTime {
  const parts: Record<string, string> = {};
  for (const part of partsFormat.formatToParts(instant)) parts[part.type] = part.value;
  return {
    date: `${parts.year}-${parts.month}-${parts.day}`,
    time: `${parts.hour}:${parts.minute}`,
  };
}

function offsetAt(epochMs: number): number {
  const { date, time } = toLondon(new Date(epochMs));
  const [y, m, d] = date.split("-").map(Number) as [number, number, number];
  const [h, min] = time.split(":").map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, h, min);
  return wall - Math.floor(epochMs / 60_000) * 60_000;
}

/** The instant a London wall-clock date and time names, or null when it is not valid. */
export function fromLondon(value: LocalDateTime): Date | null {
  const dateMatch = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value.date);
  const timeMatch = /^(\d{2}):(\d{2})$/.exec(value.time);
  if (!dateMatch || !timeMatch) return null;
  const [, y, m, d] = dateMatch.map(Number) as [number, number, number, number];
  const [, h, min] = timeMatch.map(Number) as [number, number, number];
  if (m < 1 || m > 12 || d < 1 || d > 31 || h > 23 || min > 59) return null;
  const guess = Date.UTC(y, m - 1, d, h, min);
  // Two steps find the right offset also next to a change between GMT and BST.
  const first = guess - offsetAt(guess);
  const instant = guess - offsetAt(first);
  const result = new Date(instant);
  return toLondon(result).date === value.date ? result : null;
}

/** The moment to send, or the message to show next to Date/Time. */
export function occurredAtCheck(
  occurred: LocalDateTime,
  now: Date = new Date(),
): { iso: string } | { error: string } {
  const instant = fromLondon(occurred);
  if (!instant) return { error: "Enter the date and the time." };
  // A minute's grace: the default is "now" to the minute.
  if (instant.getTime() > now.getTime() + 60_000) {
    return { error: "The date and time is in the future." };
  }
  return { iso: instant.toISOString() };
}
