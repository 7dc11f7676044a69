import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

import { createIdleTimer } from "./idle";

const FIFTEEN_MINUTES = 15 * 60 * 1000;

describe("createIdleTimer", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires after the timeout with no activity, and not before", () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: FIFTEEN_MINUTES, onIdle });
    vi.advanceTimersByTime(FIFTEEN_MINUTES - 1);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(onIdle).toHaveBeenCalledTimes(1);
    timer.stop();
  });

  it("starts the wait again on each key press or pointer movement", () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: FIFTEEN_MINUTES, onIdle });
    vi.advanceTimersByTime(14 * 60 * 1000);
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "a" }));
    vi.advanceTimersByTime(14 * 60 * 1000);
    document.body.dispatchEvent(new Event("pointermove", { bubbles: true }));
    vi.advanceTimersByTime(14 * 60 * 1000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(60 * 1000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    timer.stop();
  });

  it("does nothing once stopped", () => {
    const onIdle = vi.fn();
    const timer = createIdleTimer({ timeoutMs: 1000, onIdle });
    timer.stop();
    window.dispatchEvent(new KeyboardEvent("keydown", { key: "a" }));
    vi.advanceTimersByTime(5000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
