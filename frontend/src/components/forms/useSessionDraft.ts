import { type Dispatch, type SetStateAction, useCallback, useEffect, useState } from "react";

export const DRAFT_PREFIX = "haven:draft:";

/** Forgets every form draft in this tab (at logout: the next person must not see them). */
export function clearDrafts(storage: Storage | undefined = globalThis.sessionStorage): void {
  try {
    if (!storage) return;
    const keys: string[] = [];
    for (let index = 0; index < storage.length; index += 1) {
      const key = storage.key(index);
      if (key?.startsWith(DRAFT_PREFIX)) keys.push(key);
    }
    for (const key of keys) storage.removeItem(key);
  } catch {
    // Storage switched off: there are no drafts.
  }
}

/**
 * Form state that is also kept in this tab's sessionStorage, so that signing in again after
 * a session ends (a full page load) does not lose what was typed. Cleared after success.
 */
export function useSessionDraft<T>(
  key: string,
  initial: () => T,
  revive: (stored: T) => T = (stored) => stored,
): [T, Dispatch<SetStateAction<T>>, () => void] {
  const [value, setValue] = useState<T>(() => {
    try {
      const stored = sessionStorage.getItem(key);
      if (stored) return revive({ ...initial(), ...(JSON.parse(stored) as T) });
    } catch {
      // Storage switched off or a draft from an older version: start afresh.
    }
    return initial();
  });
  useEffect(() => {
    try {
      sessionStorage.setItem(key, JSON.stringify(value));
    } catch {
      // The draft then lives only as long as this page.
    }
  }, [key, value]);
  const clear = useCallback(() => {
    try {
      sessionStorage.removeItem(key);
    } catch {
      // Nothing stored.
    }
  }, [key]);
  return [value, setValue, clear];
}
