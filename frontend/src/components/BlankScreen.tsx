import {
  type ReactNode,
  createContext,
  useCallback,
  useContext,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
} from "react";

import { createIdleTimer } from "../lib/idle";

interface BlankScreenState {
  active: boolean;
  show: () => void;
}

const BlankScreenContext = createContext<BlankScreenState>({ active: false, show: () => {} });

export function useBlankScreen(): BlankScreenState {
  return useContext(BlankScreenContext);
}

/**
 * Blank Screen: a cover over the page, which stays as it was underneath (nothing unmounts,
 * so what was typed is kept). It comes on from the button or after `idleSeconds` without
 * activity; a click or a key takes it away and focus goes back where it was.
 */
export function BlankScreenProvider({
  idleSeconds,
  children,
}: {
  idleSeconds: number;
  children: ReactNode;
}) {
  const [active, setActive] = useState(false);
  const returnFocusTo = useRef<HTMLElement | null>(null);
  const cover = useRef<HTMLDivElement>(null);

  const activeNow = useRef(false);

  const show = useCallback(() => {
    if (activeNow.current) return;
    activeNow.current = true;
    const focused = document.activeElement;
    returnFocusTo.current = focused instanceof HTMLElement ? focused : null;
    setActive(true);
  }, []);

  const hide = useCallback(() => {
    activeNow.current = false;
    setActive(false);
  }, []);

  useEffect(() => {
    const timer = createIdleTimer({ timeoutMs: idleSeconds * 1000, onIdle: show });
    return () => timer.stop();
  }, [idleSeconds, show]);

  // Layout effects: focus and the key listener must be in place the moment the cover is
  // drawn, not whenever passive effects get scheduled.
  useLayoutEffect(() => {
    if (active) {
      cover.current?.focus();
      return;
    }
    const target = returnFocusTo.current;
    returnFocusTo.current = null;
    if (target?.isConnected) target.focus({ preventScroll: true });
  }, [active]);

  useLayoutEffect(() => {
    if (!active) return;
    // Any key returns; it must not also type into the field underneath or follow a link.
    const onKeyDown = (event: KeyboardEvent): void => {
      event.preventDefault();
      event.stopPropagation();
      hide();
    };
    window.addEventListener("keydown", onKeyDown, { capture: true });
    return () => window.removeEventListener("keydown", onKeyDown, { capture: true });
  }, [active, hide]);

  const value = useMemo(() => ({ active, show }), [active, show]);

  return (
    <BlankScreenContext.Provider value={value}>
      <div className="app-frame" inert={active} aria-hidden={active || undefined}>
        {children}
      </div>
      {active && (
        <div
          ref={cover}
          className="blank-screen"
          role="dialog"
          aria-modal="true"
          aria-label="Blank Screen"
          tabIndex={-1}
          onClick={hide}
          data-testid="blank-screen"
        >
          <p className="blank-screen-hint">Click or press any key to return.</p>
        </div>
      )}
    </BlankScreenContext.Provider>
  );
}

export function BlankScreenButton() {
  const { show } = useBlankScreen();
  return (
    <button type="button" className="header-button" onClick={show}>
      Blank Screen
    </button>
  );
}
