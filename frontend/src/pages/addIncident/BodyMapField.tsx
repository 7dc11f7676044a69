import { BodyMapEditor, type BodyMapMarker } from "../../components/bodymap/BodyMap";

export type { BodyMapMarker };

/** 'Body map': numbered markers on the front or back outline, each with a short note. */
export function BodyMapField({
  markers,
  onChange,
}: {
  markers: BodyMapMarker[];
  onChange: (markers: BodyMapMarker[]) => void;
}) {
  return <BodyMapEditor markers={markers} onChange={onChange} />;
}
