import type { CSSProperties } from "react";

export interface CategoryChoice {
  id: string;
  name: string;
  colour: string;
  subcategories: readonly { id: string; name: string }[];
}

function luminance(hex: string): number {
  const match = /^#?([0-9a-f]{6})$/i.exec(hex.trim());
  if (!match?.[1]) return 1;
  const value = Number.parseInt(match[1], 16);
  const channels = [(value >> 16) & 255, (value >> 8) & 255, value & 255].map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * channels[0] + 0.7152 * channels[1] + 0.0722 * channels[2];
}

/** Black or white, whichever reads better on the category's colour. */
export function textOn(colour: string): string {
  const l = luminance(colour);
  return (l + 0.05) / 0.05 >= 1.05 / (l + 0.05) ? "#000000" : "#ffffff";
}

function toggleStyle(colour: string, pressed: boolean): CSSProperties {
  return pressed
    ? ({ background: colour, color: textOn(colour), "--swatch": colour } as CSSProperties)
    : ({ "--swatch": colour } as CSSProperties);
}

function toggled(ids: readonly string[], id: string): string[] {
  return ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id];
}

/** Categories as buttons in their colours, pressed when chosen. */
export function CategoryButtons({
  categories,
  chosenIds,
  onChange,
  label,
}: {
  categories: readonly CategoryChoice[];
  chosenIds: readonly string[];
  onChange: (ids: string[]) => void;
  /** Names the group; none when a fieldset around it already does. */
  label?: string;
}) {
  return (
    <div role={label ? "group" : undefined} aria-label={label} className="toggle-row">
      {categories.map((category) => {
        const pressed = chosenIds.includes(category.id);
        return (
          <button
            key={category.id}
            type="button"
            className="toggle-button category-button"
            aria-pressed={pressed}
            style={toggleStyle(category.colour, pressed)}
            onClick={() => onChange(toggled(chosenIds, category.id))}
          >
            <span aria-hidden="true" className="toggle-tick">
              {pressed ? "✓" : ""}
            </span>
            {category.name}
          </button>
        );
      })}
    </div>
  );
}

/** Under each chosen category, its subcategories ('Child Protection Subcategories'). */
export function SubcategoryButtons({
  categories,
  chosenCategoryIds,
  chosenIds,
  onChange,
}: {
  categories: readonly CategoryChoice[];
  chosenCategoryIds: readonly string[];
  chosenIds: readonly string[];
  onChange: (ids: string[]) => void;
}) {
  const shown = categories.filter(
    (category) => chosenCategoryIds.includes(category.id) && category.subcategories.length > 0,
  );
  if (shown.length === 0) return null;
  return (
    <div className="subcategories">
      {shown.map((category) => (
        <div key={category.id} role="group" aria-label={`${category.name} Subcategories`} className="subcategory-group">
          <p className="control-sublabel" aria-hidden="true">
            {category.name} Subcategories
          </p>
          <div className="toggle-row">
            {category.subcategories.map((sub) => {
              const pressed = chosenIds.includes(sub.id);
              return (
                <button
                  key={sub.id}
                  type="button"
                  className="toggle-button subcategory-button"
                  aria-pressed={pressed}
                  style={toggleStyle(category.colour, pressed)}
                  onClick={() => onChange(toggled(chosenIds, sub.id))}
                >
                  <span aria-hidden="true" className="toggle-tick">
                    {pressed ? "✓" : ""}
                  </span>
                  {sub.name}
                </button>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}
