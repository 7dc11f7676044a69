import { type ReactNode, createContext, useCallback, useContext, useMemo, useState } from "react";

import { type NameSpan, splitByNames, starOut } from "../lib/names";

const STORAGE_KEY = "haven:hide-names";

interface HideNamesState {
  hidden: boolean;
  toggle: () => void;
}

const HideNamesContext = createContext<HideNamesState>({ hidden: false, toggle: () => {} });

function readStored(storage: Storage | undefined): boolean {
  try {
    return storage?.getItem(STORAGE_KEY) === "1";
  } catch {
    // Storage can be switched off; names are then shown until the button is pressed.
    return false;
  }
}

/** The Hide Names choice, kept in this browser so it holds on every page until turned off. */
export function HideNamesProvider({
  children,
  storage = globalThis.localStorage,
}: {
  children: ReactNode;
  storage?: Storage;
}) {
  const [hidden, setHidden] = useState(() => readStored(storage));
  const toggle = useCallback(() => {
    setHidden((was) => {
      const now = !was;
      try {
        if (now) storage?.setItem(STORAGE_KEY, "1");
        else storage?.removeItem(STORAGE_KEY);
      } catch {
        // The choice still applies to this page.
      }
      return now;
    });
  }, [storage]);
  const value = useMemo(() => ({ hidden, toggle }), [hidden, toggle]);
  return <HideNamesContext.Provider value={value}>{children}</HideNamesContext.Provider>;
}

export function useHideNames(): HideNamesState {
  return useContext(HideNamesContext);
}

export function HideNamesButton() {
  const { hidden, toggle } = useHideNames();
  return (
    <button type="button" className="header-button" onClick={toggle}>
      {hidden ? "Show Names" : "Hide Names"}
    </button>
  );
}

/** A pupil's name on its own (a heading, a table cell). */
export function PupilName({ name }: { name: string }) {
  const { hidden } = useHideNames();
  return <span className="pupil-name">{hidden ? starOut(name) : name}</span>;
}

/** Free text (incident and action text, alert lines) with the API's name spans. */
export function TextWithNames({ text, spans }: { text: string; spans: readonly NameSpan[] }) {
  const { hidden } = useHideNames();
  return (
    <>
      {splitByNames(text, spans).map((segment, index) =>
        segment.isName ? (
          <span key={index} className="pupil-name">
            {hidden ? starOut(segment.text) : segment.text}
          </span>
        ) : (
          segment.text
        ),
      )}
    </>
  );
}

export function HideNamesStatus() {
  const { hidden } = useHideNames();
  // Announced to screen readers when the choice changes.
  return (
    <span className="visually-hidden" role="status">
      {hidden ? "Pupil names are hidden." : ""}
    </span>
  );
}
