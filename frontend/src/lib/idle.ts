/** Calls `onIdle` once nothing has happened for `timeoutMs`; any activity starts the wait again. */

export const ACTIVITY_EVENTS = [
  "pointerdown",
  "pointermove",
  "keydown",
  "wheel",
  "touchstart",
  "scroll",
] as const;

export interface IdleTimer {
  /** Start waiting again from now (also what every activity event does). */
  reset(): void;
  stop(): void;
}

export function createIdleTimer(options: {
  timeoutMs: number;
  onIdle: () => void;
  target?: EventTarget;
}): IdleTimer {
  const target = options.target ?? window;
  let handle: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const schedule = (): void => {
    if (stopped) return;
    if (handle !== undefined) clearTimeout(handle);
    handle = setTimeout(() => {
      handle = undefined;
      options.onIdle();
    }, options.timeoutMs);
  };

  for (const name of ACTIVITY_EVENTS) {
    // Capture phase, so activity inside widgets that stop propagation still counts.
    target.addEventListener(name, schedule, { capture: true, passive: true });
  }
  schedule();

  return {
    reset: schedule,
    stop(): void {
      stopped = true;
      if (handle !== undefined) clearTimeout(handle);
      for (const name of ACTIVITY_EVENTS) {
        target.removeEventListener(name, schedule, { capture: true });
      }
    },
  };
}
