/** Dates as staff know them: `Mon 13/08/2018 15:50`, always in UK time. */

const TIME_ZONE = "Europe/London";

const dateTimeFormat = new Intl.DateTimeFormat("en-GB", {
  timeZone: TIME_ZONE,
  weekday: "short",
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

/** `Mon 13/08/2018 15:50` in Europe/London, whatever the computer's own time zone. */
export function formatUkDateTime(value: Date | string): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return "";
  const parts: Record<string, string> = {};
  for (const part of dateTimeFormat.formatToParts(date)) parts[part.type] = part.value;
  return `${parts.weekday} ${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute}`;
}

const relativeFormat = new Intl.RelativeTimeFormat("en-GB", { numeric: "always" });

const MINUTE = 60;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** `2 days ago`: how long before `now` the moment was, in the largest whole unit. */
export function formatTimeAgo(value: Date | string, now: Date = new Date()): string {
  const date = toDate(value);
  if (Number.isNaN(date.getTime())) return "";
  // A moment slightly in the future is the server's clock running ahead of this one.
  const seconds = Math.max(0, Math.floor((now.getTime() - date.getTime()) / 1000));
  if (seconds < MINUTE) return "just now";
  if (seconds < HOUR) return relativeFormat.format(-Math.floor(seconds / MINUTE), "minute");
  if (seconds < DAY) return relativeFormat.format(-Math.floor(seconds / HOUR), "hour");
  const days = Math.floor(seconds / DAY);
  if (days < 30) return relativeFormat.format(-days, "day");
  if (days < 365) return relativeFormat.format(-Math.floor(days / 30), "month");
  return relativeFormat.format(-Math.floor(days / 365), "year");
}

/** `2 days ago by Chloe Kelan`, as in the dashboard's "Added" column. */
export function formatAddedBy(value: Date | string, by: string, now: Date = new Date()): string {
  const ago = formatTimeAgo(value, now);
  return by ? `${ago} by ${by}` : ago;
}
