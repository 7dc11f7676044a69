import {
  type KeyboardEvent,
  type MouseEvent,
  type PointerEvent,
  useEffect,
  useId,
  useRef,
  useState,
} from "react";

import "../buttons.css";
import "./BodyMap.css";

/** One numbered marker; `x` and `y` run from 0 to 1 across and down the outline. */
export type BodyMapMarker = {
  side: "FRONT" | "BACK";
  x: number;
  y: number;
  number: number;
  note: string;
};

type Side = BodyMapMarker["side"];

const SIDES: readonly { side: Side; label: string }[] = [
  { side: "FRONT", label: "Front" },
  { side: "BACK", label: "Back" },
];

const WIDTH = 120;
const HEIGHT = 260;
const MARKER_RADIUS = 8;
/** How far one arrow key press moves a marker; with Shift, five times as far. */
const STEP = 0.01;
export const MAX_NOTE_LENGTH = 200;

// One outline, drawn symmetrically about x = 60: head, arms, body and legs.
const OUTLINE =
  "M52 38 L50 46 L28 52 Q20 56 19 66 L12 120 L20 122 L30 72 L34 72 L34 130 L36 138 " +
  "L40 246 L56 246 L58 150 L62 150 L64 246 L80 246 L84 138 L86 130 L86 72 L90 72 " +
  "L100 122 L108 120 L101 66 Q100 56 92 52 L70 46 L68 38 Z";

function clamp(value: number): number {
  return Math.min(1, Math.max(0, value));
}

function sideLabel(side: Side): string {
  return side === "FRONT" ? "Front" : "Back";
}

/** Numbers 1, 2, 3… in the markers' current order, so a removal leaves no gap. */
export function renumber(markers: readonly BodyMapMarker[]): BodyMapMarker[] {
  return [...markers]
    .sort((a, b) => a.number - b.number)
    .map((marker, index) => ({ ...marker, number: index + 1 }));
}

function nextNumber(markers: readonly BodyMapMarker[]): number {
  return markers.reduce((highest, marker) => Math.max(highest, marker.number), 0) + 1;
}

function positionIn(svg: SVGSVGElement, clientX: number, clientY: number): { x: number; y: number } {
  const box = svg.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return { x: 0.5, y: 0.5 };
  return {
    x: clamp((clientX - box.left) / box.width),
    y: clamp((clientY - box.top) / box.height),
  };
}

function Outline({ side }: { side: Side }) {
  return (
    <>
      <circle className="body-map-outline" cx="60" cy="22" r="16" />
      <path className="body-map-outline" d={OUTLINE} />
      {side === "BACK" ? (
        // The spine, so front and back differ at a glance.
        <path className="body-map-detail" d="M60 48 L60 140" />
      ) : (
        <path className="body-map-detail" d="M54 26 Q60 31 66 26" />
      )}
    </>
  );
}

function MarkerShape({ marker }: { marker: BodyMapMarker }) {
  return (
    <>
      <circle
        className="body-map-marker-dot"
        cx={marker.x * WIDTH}
        cy={marker.y * HEIGHT}
        r={MARKER_RADIUS}
      />
      <text
        className="body-map-marker-number"
        x={marker.x * WIDTH}
        y={marker.y * HEIGHT}
        textAnchor="middle"
        dominantBaseline="central"
      >
        {marker.number}
      </text>
    </>
  );
}

function markersOn(markers: readonly BodyMapMarker[], side: Side): BodyMapMarker[] {
  return markers.filter((marker) => marker.side === side);
}

/** The body map of a record, to look at. */
export function BodyMapView({ markers }: { markers: BodyMapMarker[] }) {
  const sorted = [...markers].sort((a, b) => a.number - b.number);
  return (
    <div className="body-map">
      <div className="body-map-figures">
        {SIDES.map(({ side, label }) => {
          const here = markersOn(sorted, side);
          const description =
            here.length === 0
              ? `${label}: no markers`
              : `${label}: marker${here.length === 1 ? "" : "s"} ${here.map((m) => m.number).join(", ")}`;
          return (
            <figure key={side} className="body-map-figure">
              <svg
                viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
                role="img"
                aria-label={description}
                className="body-map-svg"
              >
                <Outline side={side} />
                {here.map((marker) => (
                  <g key={marker.number} className="body-map-marker">
                    <MarkerShape marker={marker} />
                  </g>
                ))}
              </svg>
              <figcaption>{label}</figcaption>
            </figure>
          );
        })}
      </div>
      {sorted.length > 0 && (
        <ol className="body-map-notes" aria-label="Body map markers">
          {sorted.map((marker) => (
            <li key={marker.number} value={marker.number}>
              <span className="body-map-note-side">{sideLabel(marker.side)}</span>
              {marker.note ? `: ${marker.note}` : ""}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/**
 * The body map of a record being written. A click on an outline places the next numbered
 * marker; a marker can be dragged, or focused and moved with the arrow keys; the list below
 * gives each marker its note and a remove button, and places markers without a pointer.
 */
export function BodyMapEditor({
  markers,
  onChange,
}: {
  markers: BodyMapMarker[];
  onChange: (markers: BodyMapMarker[]) => void;
}) {
  const hintId = useId();
  const containerRef = useRef<HTMLDivElement>(null);
  const [focusNumber, setFocusNumber] = useState<number | null>(null);
  const [dragging, setDragging] = useState<number | null>(null);
  const [announcement, setAnnouncement] = useState("");
  const sorted = [...markers].sort((a, b) => a.number - b.number);

  useEffect(() => {
    if (focusNumber === null) return;
    containerRef.current
      ?.querySelector<SVGGElement>(`[data-marker-number="${focusNumber}"]`)
      ?.focus();
    setFocusNumber(null);
  }, [focusNumber, markers]);

  const place = (side: Side, x: number, y: number, focus: boolean): void => {
    const number = nextNumber(markers);
    onChange([...markers, { side, x: clamp(x), y: clamp(y), number, note: "" }]);
    setAnnouncement(`Marker ${number} placed on the ${sideLabel(side).toLowerCase()}.`);
    if (focus) setFocusNumber(number);
  };

  const move = (number: number, x: number, y: number): void => {
    onChange(
      markers.map((marker) =>
        marker.number === number ? { ...marker, x: clamp(x), y: clamp(y) } : marker,
      ),
    );
  };

  const setNote = (number: number, note: string): void => {
    onChange(
      markers.map((marker) =>
        marker.number === number ? { ...marker, note: note.slice(0, MAX_NOTE_LENGTH) } : marker,
      ),
    );
  };

  const remove = (number: number): void => {
    onChange(renumber(markers.filter((marker) => marker.number !== number)));
    setAnnouncement(`Marker ${number} removed; the markers after it are renumbered.`);
  };

  const onFigureClick = (side: Side, event: MouseEvent<SVGSVGElement>): void => {
    const { x, y } = positionIn(event.currentTarget, event.clientX, event.clientY);
    place(side, x, y, false);
  };

  const onMarkerKeyDown = (marker: BodyMapMarker, event: KeyboardEvent<SVGGElement>): void => {
    const step = event.shiftKey ? STEP * 5 : STEP;
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [-step, 0],
      ArrowRight: [step, 0],
      ArrowUp: [0, -step],
      ArrowDown: [0, step],
    };
    const delta = moves[event.key];
    if (delta) {
      event.preventDefault();
      move(marker.number, marker.x + delta[0], marker.y + delta[1]);
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      remove(marker.number);
    }
  };

  const onPointerMove = (event: PointerEvent<SVGSVGElement>): void => {
    if (dragging === null) return;
    const { x, y } = positionIn(event.currentTarget, event.clientX, event.clientY);
    move(dragging, x, y);
  };

  return (
    <div className="body-map body-map-editor" ref={containerRef}>
      <p id={hintId} className="body-map-hint">
        Click on the front or back to place the next numbered marker. Drag a marker, or select
        it and use the arrow keys, to move it.
      </p>
      <div className="body-map-figures">
        {SIDES.map(({ side, label }) => (
          <figure key={side} className="body-map-figure">
            {/* Pointer placement; the "Add marker" buttons below do the same by keyboard. */}
            <svg
              viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
              role="group"
              aria-label={label}
              aria-describedby={hintId}
              className="body-map-svg body-map-svg-editable"
              data-testid={`body-map-${side.toLowerCase()}`}
              onClick={(event) => onFigureClick(side, event)}
              onPointerMove={onPointerMove}
              onPointerUp={() => setDragging(null)}
              onPointerCancel={() => setDragging(null)}
            >
              <Outline side={side} />
              {markersOn(sorted, side).map((marker) => (
                <g
                  key={marker.number}
                  className="body-map-marker body-map-marker-editable"
                  data-marker-number={marker.number}
                  tabIndex={0}
                  role="button"
                  aria-roledescription="movable marker"
                  aria-label={`Marker ${marker.number} on the ${label.toLowerCase()}${marker.note ? `: ${marker.note}` : ""}. Arrow keys move it.`}
                  onKeyDown={(event) => onMarkerKeyDown(marker, event)}
                  onClick={(event) => event.stopPropagation()}
                  onPointerDown={(event) => {
                    event.stopPropagation();
                    event.currentTarget.ownerSVGElement?.setPointerCapture?.(event.pointerId);
                    setDragging(marker.number);
                  }}
                >
                  <MarkerShape marker={marker} />
                </g>
              ))}
            </svg>
            <figcaption>{label}</figcaption>
          </figure>
        ))}
      </div>
      <div className="body-map-add">
        {SIDES.map(({ side, label }) => (
          <button
            key={side}
            type="button"
            className="secondary-button"
            onClick={() => place(side, 0.5, 0.4, true)}
          >
            Add marker to {label.toLowerCase()}
          </button>
        ))}
      </div>
      {sorted.length > 0 && (
        <ol className="body-map-notes body-map-notes-editable" aria-label="Body map markers">
          {sorted.map((marker) => (
            <li key={marker.number} value={marker.number}>
              <label htmlFor={`${hintId}-note-${marker.number}`}>
                Note for marker {marker.number} ({sideLabel(marker.side).toLowerCase()})
              </label>
              <div className="body-map-note-row">
                <input
                  id={`${hintId}-note-${marker.number}`}
                  type="text"
                  maxLength={MAX_NOTE_LENGTH}
                  value={marker.note}
                  onChange={(event) => setNote(marker.number, event.target.value)}
                />
                <button
                  type="button"
                  className="secondary-button"
                  onClick={() => remove(marker.number)}
                >
                  Remove marker {marker.number}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
    </div>
  );
}
