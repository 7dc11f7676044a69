import { useId } from "react";

/**
 * The body map markers, as the body map component (components/bodymap/BodyMap.tsx) types
 * them. When that component is in, this file renders its `BodyMapEditor` instead of the
 * simple editor below, and takes the type from there.
 */
export type BodyMapMarker = {
  side: "FRONT" | "BACK";
  x: number;
  y: number;
  number: number;
  note: string;
};

function nextNumber(markers: readonly BodyMapMarker[]): number {
  return markers.reduce((highest, marker) => Math.max(highest, marker.number), 0) + 1;
}

function clamp01(value: number): number {
  return Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : 0;
}

/** 'Body map': numbered markers on the front or back outline, each with a short note. */
export function BodyMapField({
  markers,
  onChange,
}: {
  markers: BodyMapMarker[];
  onChange: (markers: BodyMapMarker[]) => void;
}) {
  const id = useId();
  const change = (index: number, patch: Partial<BodyMapMarker>): void =>
    onChange(markers.map((marker, i) => (i === index ? { ...marker, ...patch } : marker)));
  return (
    <div className="body-map-simple">
      {markers.length === 0 && <p className="field-hint">No markers yet.</p>}
      <ol className="body-map-markers">
        {markers.map((marker, index) => (
          <li key={marker.number} className="body-map-marker">
            <span className="body-map-number">Marker {marker.number}</span>
            <label>
              Side
              <select
                value={marker.side}
                onChange={(event) =>
                  change(index, { side: event.target.value === "BACK" ? "BACK" : "FRONT" })
                }
              >
                <option value="FRONT">Front</option>
                <option value="BACK">Back</option>
              </select>
            </label>
            <label>
              Across (0 left to 1 right)
              <input
                type="number"
                min={0}
                max={1}
                step={0.01}
                value={marker.x}
                onChange={(event) => change(index, { x: clamp01(event.target.valueAsNumber) })}
              />
            </label>
            <label>
              Down (0 top to 1 bottom)
              <input
                type="number"
                min={0}
                max={1}
                step={0.01}
                value={marker.y}
                onChange={(event) => change(index, { y: clamp01(event.target.valueAsNumber) })}
              />
            </label>
            <label>
              Note
              <input
                type="text"
                maxLength={200}
                value={marker.note}
                onChange={(event) => change(index, { note: event.target.value })}
              />
            </label>
            <button
              type="button"
              className="link-button"
              onClick={() => onChange(markers.filter((_, i) => i !== index))}
            >
              Remove marker {marker.number}
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        id={`${id}-add`}
        className="secondary-button"
        onClick={() =>
          onChange([...markers, { side: "FRONT", x: 0.5, y: 0.5, number: nextNumber(markers), note: "" }])
        }
      >
        Add marker
      </button>
    </div>
  );
}
