/**
 * Settings changes that touch key access (who is a key holder, access levels, admin rights,
 * e-mail addresses, API clients) need the admin's password entered in the last few minutes.
 * When the server answers `reauthentication_required`, the screen asks for the password and
 * runs the same change again, so nothing typed has to be entered twice.
 */
import { type ReactNode, createContext, useCallback, useContext, useState } from "react";
import { Link } from "react-router";

import { ReauthenticateForm } from "../account/AccountSettingsPage";

export const REAUTHENTICATION_REQUIRED = "reauthentication_required";
export const SECOND_FACTOR_REQUIRED = "second_factor_required";

type Codes = readonly { readonly code: string }[] | null | undefined;

interface Reauthentication {
  /** Shows the password form; true once the password was accepted, false if cancelled. */
  askForPassword: () => Promise<boolean>;
  /** The session has not passed the second factor: say so, with the way to fix it. */
  needSecondFactor: () => void;
}

const ReauthenticationContext = createContext<Reauthentication | null>(null);

const SETTINGS_HINT =
  "For your security, enter your password again to change who can see records.";

/** Where school admins are told how to pass or add a second factor. */
export function SecondFactorNeeded() {
  return (
    <div className="page-message" role="alert">
      <p>
        School admins need two-step sign-in before they can change the school's settings.
      </p>
      <p>
        <Link to="/second-factor?next=%2Fsettings">Confirm it is you with your second factor</Link>
        , or add an authenticator app or a security key in{" "}
        <Link to="/account#second-factors">Account Settings</Link>.
      </p>
    </div>
  );
}

export function ReauthenticationProvider({ children }: { children: ReactNode }) {
  const [pending, setPending] = useState<((accepted: boolean) => void) | null>(null);
  const [secondFactor, setSecondFactor] = useState(false);
  const askForPassword = useCallback(
    () => new Promise<boolean>((resolve) => setPending(() => resolve)),
    [],
  );
  const needSecondFactor = useCallback(() => setSecondFactor(true), []);
  const finish = (accepted: boolean): void => {
    pending?.(accepted);
    setPending(null);
  };
  return (
    <ReauthenticationContext.Provider value={{ askForPassword, needSecondFactor }}>
      {secondFactor && <SecondFactorNeeded />}
      {children}
      {pending && (
        <div className="settings-reauth-backdrop">
          <div
            className="panel settings-reauth"
            role="dialog"
            aria-modal="true"
            aria-labelledby="settings-reauth-heading"
          >
            <h2 id="settings-reauth-heading">Enter your password again</h2>
            <ReauthenticateForm
              hint={SETTINGS_HINT}
              onCancel={() => finish(false)}
              onDone={() => finish(true)}
            />
          </div>
        </div>
      )}
    </ReauthenticationContext.Provider>
  );
}

/**
 * Wraps a settings change: runs `attempt`; while the answer asks for the password again,
 * asks for it and runs the change once more. `codesOf` picks the answer's error codes.
 * Outside a provider (a screen shown on its own) it simply runs the change.
 */
export function useWithPassword() {
  const context = useContext(ReauthenticationContext);
  return useCallback(
    async <R,>(attempt: () => Promise<R>, codesOf: (result: R) => Codes): Promise<R> => {
      let result = await attempt();
      for (;;) {
        const codes = codesOf(result) ?? [];
        if (codes.some((error) => error.code === SECOND_FACTOR_REQUIRED)) {
          context?.needSecondFactor();
        }
        if (!context || !codes.some((error) => error.code === REAUTHENTICATION_REQUIRED)) {
          return result;
        }
        if (!(await context.askForPassword())) return result;
        result = await attempt();
      }
    },
    [context],
  );
}
