import "./CategoryChip.css";

export interface ChipCategory {
  name: string;
  /** `#rrggbb`, as the school chose it. */
  colour: string;
}

function channel(value: number): number {
  const c = value / 255;
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** WCAG relative luminance of `#rrggbb`; null when the value is not a colour. */
export function luminance(colour: string): number | null {
  const match = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(colour.trim());
  if (!match) return null;
  const [r, g, b] = match.slice(1).map((hex) => channel(Number.parseInt(hex, 16)));
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0);
}

/**
 * White text on the category colour. A school can pick a pale colour that white cannot be
 * read on (contrast under 4.5:1); the chip then keeps its colour and uses dark text.
 */
export function chipTextColour(colour: string): string {
  const lum = luminance(colour);
  if (lum === null) return "#ffffff";
  return 1.05 / (lum + 0.05) >= 4.5 ? "#ffffff" : "#1a1a1a";
}

export function CategoryChip({ category }: { category: ChipCategory }) {
  const background = luminance(category.colour) === null ? "#505a64" : category.colour;
  return (
    <span
      className="category-chip"
      style={{ backgroundColor: background, color: chipTextColour(background) }}
    >
      {category.name}
    </span>
  );
}

/** A record's categories as a list of chips. */
export function CategoryChips({
  categories,
  label = "Categories",
}: {
  categories: readonly ChipCategory[];
  label?: string;
}) {
  if (categories.length === 0) return null;
  return (
    <ul className="category-chips" aria-label={label}>
      {categories.map((category) => (
        <li key={category.name}>
          <CategoryChip category={category} />
        </li>
      ))}
    </ul>
  );
}
