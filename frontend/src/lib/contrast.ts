/**
 * Category chips show white text on the category's colour, so a colour must give white text a
 * WCAG contrast of at least 4.5:1 (AA for normal text). The server checks the same rule with
 * the same arithmetic (safeguarding/services/categories.py); this copy gives the message as
 * the admin types.
 */
export const MIN_CONTRAST = 4.5;

const HEX_COLOUR = /^#[0-9a-f]{6}$/;

export function normaliseColour(value: string): string {
  return value.trim().toLowerCase();
}

export function isHexColour(value: string): boolean {
  return HEX_COLOUR.test(normaliseColour(value));
}

function channels(colour: string): [number, number, number] {
  const hex = normaliseColour(colour);
  return [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [
    number,
    number,
    number,
  ];
}

function linear(value: number): number {
  const c = value / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** The contrast ratio of white text on a #rrggbb colour, from 1 to 21. */
export function contrastWithWhite(colour: string): number {
  const [r, g, b] = channels(colour);
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  return 1.05 / (luminance + 0.05);
}

function hex(value: number): string {
  return Math.floor(value).toString(16).padStart(2, "0");
}

/** The same hue, darkened just enough for white text to reach MIN_CONTRAST. */
export function darkerSuggestion(colour: string): string {
  const [r, g, b] = channels(colour);
  for (let step = 100; step >= 0; step -= 1) {
    // Whole-number arithmetic, as on the server, so both suggest the same colour.
    const candidate = `#${hex((r * step) / 100)}${hex((g * step) / 100)}${hex((b * step) / 100)}`;
    if (contrastWithWhite(candidate) >= MIN_CONTRAST) return candidate;
  }
  return "#000000";
}

/** What is wrong with a colour for a category chip, or undefined when it will do. */
export function colourProblem(value: string): string | undefined {
  const colour = normaliseColour(value);
  if (!isHexColour(colour)) return "Enter a colour as # and six hex digits, e.g. #2c5282.";
  const ratio = contrastWithWhite(colour);
  if (ratio >= MIN_CONTRAST) return undefined;
  return (
    `White text on ${colour} has a contrast of only ${ratio.toFixed(1)}:1; it needs at least ` +
    `${MIN_CONTRAST}:1 to be readable. Choose a darker colour, such as ` +
    `${darkerSuggestion(colour)}.`
  );
}
