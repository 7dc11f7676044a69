import { type FormEvent, type ReactNode, useState } from "react";
import { Link } from "react-router";
import { useClient, useQuery } from "urql";

import type { FieldError } from "../../api/outcome";
import type { Outcome } from "../../api/outcome";
import { Field } from "../../components/Field";
import { FormProblem } from "../../components/FormProblem";
import { fieldMessages } from "../../api/outcome";
import { Page } from "../../components/Page";
import type { AccountSettingsQuery } from "../../gql/graphql";
import { formatUkDateTime } from "../../lib/dates";
import { describeUserAgent } from "../../lib/userAgent";
import {
  creationOptionsFromJson,
  registrationToJson,
  securityKeyProblem,
} from "../../lib/webauthn";
import {
  AccountQuery,
  type TotpSecret,
  beginSecurityKeyRegistration,
  beginTotpEnrolment,
  changePassword,
  completeSecurityKeyRegistration,
  confirmTotpEnrolment,
  endSession,
  generateRecoveryCodes,
  reauthenticate,
  removeSecondFactor,
  updateAlertEmails,
} from "./accountApi";
import "../../components/controls.css";
import "./AccountSettingsPage.css";

type Factor = AccountSettingsQuery["mySecondFactors"][number];
type Session = AccountSettingsQuery["mySessions"][number];

export function AccountSettingsPage() {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: AccountQuery,
    requestPolicy: "cache-and-network",
  });
  const reload = (): void => refetch({ requestPolicy: "network-only" });

  return (
    <Page title="Account Settings">
      <nav aria-label="On this page" className="account-contents">
        <ul>
          <li>
            <a href="#change-password">Change password</a>
          </li>
          <li>
            <a href="#second-factors">Two-step sign-in</a>
          </li>
          <li>
            <a href="#alert-emails">Alert e-mails</a>
          </li>
          <li>
            <a href="#sessions">Where you are signed in</a>
          </li>
        </ul>
      </nav>
      {error && !data && (
        <div className="form-error" role="alert">
          <p>Your account settings could not be loaded. Check your connection, then try again.</p>
          <button type="button" className="secondary-button" onClick={reload}>
            Try again
          </button>
        </div>
      )}
      {fetching && !data && (
        <p className="loading" role="status">
          Loading…
        </p>
      )}
      <PasswordSection onChanged={reload} />
      {data && (
        <>
          <SecondFactorsSection
            factors={data.mySecondFactors}
            mustEnrol={data.me?.mustEnrolSecondFactor ?? false}
            reload={reload}
          />
          <AlertEmailsSection initial={data.notificationPreferences?.alertEmails ?? true} />
          <SessionsSection sessions={data.mySessions} reload={reload} />
        </>
      )}
    </Page>
  );
}

function Section({
  id,
  title,
  children,
}: {
  id: string;
  title: string;
  children: ReactNode;
}) {
  return (
    <section id={id} className="panel account-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{title}</h2>
      {children}
    </section>
  );
}

function Success({ message }: { message: string }) {
  return (
    <p role="status" className={message ? "success-message" : "visually-hidden"}>
      {message}
    </p>
  );
}

/* --- Password ------------------------------------------------------------------------- */

function PasswordSection({ onChanged }: { onChanged: () => void }) {
  const client = useClient();
  const [current, setCurrent] = useState("");
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState("");
  const fields = fieldMessages(errors);

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setDone("");
    const local: FieldError[] = [];
    if (!current) {
      local.push({ field: "currentPassword", code: "required", message: "Enter your current password." });
    }
    if (!password) {
      local.push({ field: "newPassword", code: "required", message: "Enter a new password." });
    } else if (password !== confirmation) {
      local.push({
        field: "confirmation",
        code: "mismatch",
        message: "The two new passwords are not the same.",
      });
    }
    if (local.length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    const outcome = await changePassword(client, current, password);
    setBusy(false);
    if (!outcome.ok) {
      setErrors(outcome.errors);
      return;
    }
    setErrors([]);
    setCurrent("");
    setPassword("");
    setConfirmation("");
    setDone("Your password has been changed. Any other sessions have been signed out.");
    onChanged();
  };

  return (
    <Section id="change-password" title="Change password">
      <Success message={done} />
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormProblem
          errors={errors}
          shownFields={["currentPassword", "newPassword", "confirmation"]}
        />
        <Field
          label="Current password"
          type="password"
          name="currentPassword"
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
          error={fields.currentPassword}
        />
        <Field
          label="New password"
          hint="At least 12 characters, not one you use anywhere else."
          type="password"
          name="newPassword"
          autoComplete="new-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={fields.newPassword}
        />
        <Field
          label="Confirm new password"
          type="password"
          name="confirmation"
          autoComplete="new-password"
          required
          value={confirmation}
          onChange={(event) => setConfirmation(event.target.value)}
          error={fields.confirmation}
        />
        <button type="submit" className="primary-button" disabled={busy}>
          Change Password
        </button>
      </form>
    </Section>
  );
}

/* --- Second factors ------------------------------------------------------------------- */

const KIND_LABELS: Record<Factor["kind"], string> = {
  TOTP: "Authenticator app",
  SECURITY_KEY: "Security key",
  RECOVERY_CODES: "Recovery codes",
};

/** `ABCD EFGH IJKL`: a secret in groups of four, easier to type into an app. */
export function groupSecret(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, "$1 ");
}

type Pending = { run: () => Promise<void> } | null;

function SecondFactorsSection({
  factors,
  mustEnrol,
  reload,
}: {
  factors: readonly Factor[];
  mustEnrol: boolean;
  reload: () => void;
}) {
  const client = useClient();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState("");
  const [pending, setPending] = useState<Pending>(null);
  const [totp, setTotp] = useState<TotpSecret | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [removing, setRemoving] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const hasRecoveryCodes = factors.some((factor) => factor.kind === "RECOVERY_CODES");
  const needsSecondFactor = errors.some((error) => error.code === "second_factor_required");

  /**
   * Runs a factor change. When the server first wants the password again, it asks for it
   * and then runs the same change, so nothing has to be started over.
   */
  const guarded = async <T,>(
    change: () => Promise<Outcome<T>>,
    onDone: (value: T) => void | Promise<void>,
  ): Promise<void> => {
    setDone("");
    setBusy(true);
    const outcome = await change();
    setBusy(false);
    if (outcome.ok) {
      setErrors([]);
      setPending(null);
      await onDone(outcome.value);
      return;
    }
    if (outcome.errors.some((error) => error.code === "reauthentication_required")) {
      setErrors([]);
      setPending({ run: () => guarded(change, onDone) });
      return;
    }
    setErrors(outcome.errors);
  };

  const showNewCodes = async (): Promise<void> => {
    const made = await generateRecoveryCodes(client);
    if (made.ok) setCodes(made.value);
    else setErrors(made.errors);
  };

  return (
    <Section id="second-factors" title="Two-step sign-in">
      <p>
        Key access needs a second step after your password: a code from an authenticator app on
        your phone, or a security key.
      </p>
      {mustEnrol && (
        <p className="account-must-enrol">
          Your account has key access or school admin rights, which need a second step when you
          sign in. Add an authenticator app or a security key below.
        </p>
      )}
      <Success message={done} />
      {/* Field errors of the code and key forms are shown in those forms. */}
      <FormProblem errors={errors} shownFields={["code", "name", "credential"]} />
      {needsSecondFactor && (
        <p>
          <Link to="/second-factor?next=%2Faccount">Confirm it is you with your second factor</Link>
        </p>
      )}
      {pending && (
        <ReauthenticateForm
          onCancel={() => setPending(null)}
          onDone={() => {
            const retry = pending;
            setPending(null);
            void retry.run();
          }}
        />
      )}
      {codes && (
        <RecoveryCodes
          codes={codes}
          onDismiss={() => {
            setCodes(null);
            setDone("Your recovery codes are saved.");
          }}
        />
      )}

      {factors.length === 0 ? (
        <p>You have not added a second factor yet.</p>
      ) : (
        <table className="data-table account-factors">
          <caption className="visually-hidden">Your second factors</caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">Added</th>
              <th scope="col">Last used</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {factors.map((factor) => (
              <tr key={factor.id}>
                <td data-label="Kind">{KIND_LABELS[factor.kind]}</td>
                <td data-label="Name">
                  {factor.name}
                  {factor.remainingCodes !== null && factor.remainingCodes !== undefined
                    ? ` (${factor.remainingCodes} left)`
                    : ""}
                </td>
                <td data-label="Added">
                  {factor.createdAt ? formatUkDateTime(factor.createdAt) : "—"}
                </td>
                <td data-label="Last used">
                  {factor.lastUsedAt ? formatUkDateTime(factor.lastUsedAt) : "Never"}
                </td>
                <td>
                  {removing === factor.id ? (
                    <div className="account-confirm" role="group" aria-label={`Remove ${factor.name}`}>
                      <p>Remove {factor.name}? You will no longer be able to use it to sign in.</p>
                      <div className="button-row">
                        <button
                          type="button"
                          className="primary-button danger-primary"
                          disabled={busy}
                          onClick={() =>
                            void guarded(
                              () => removeSecondFactor(client, factor.id),
                              () => {
                                setRemoving(null);
                                setDone(`${KIND_LABELS[factor.kind]} “${factor.name}” removed.`);
                                reload();
                              },
                            )
                          }
                        >
                          Remove
                        </button>
                        <button
                          type="button"
                          className="secondary-button"
                          autoFocus
                          onClick={() => setRemoving(null)}
                        >
                          Cancel
                        </button>
                      </div>
                    </div>
                  ) : (
                    <button
                      type="button"
                      aria-label={`Remove ${factor.name}`}
                      className="secondary-button danger-button"
                      onClick={() => {
                        setDone("");
                        setRemoving(factor.id);
                      }}
                    >
                      Remove
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>Add an authenticator app</h3>
      {totp ? (
        <TotpConfirmForm
          secret={totp}
          onCancel={() => setTotp(null)}
          confirm={(code, onError) =>
            guarded(
              async () => {
                const outcome = await confirmTotpEnrolment(client, code);
                if (!outcome.ok) onError(outcome.errors);
                return outcome;
              },
              async () => {
                setTotp(null);
                setDone("Authenticator app added. You will use its codes when you sign in.");
                if (!hasRecoveryCodes) await showNewCodes();
                reload();
              },
            )
          }
        />
      ) : (
        <button
          type="button"
          className="secondary-button"
          disabled={busy}
          onClick={() => void guarded(() => beginTotpEnrolment(client), setTotp)}
        >
          Add Authenticator App
        </button>
      )}

      <h3>Add a security key</h3>
      <SecurityKeyForm
        busy={busy}
        register={(name, onError) =>
          guarded(
            async () => {
              const begun = await beginSecurityKeyRegistration(client);
              if (!begun.ok) return begun;
              let credentialJson: string;
              try {
                const credential = await navigator.credentials.create({
                  publicKey: creationOptionsFromJson(begun.value),
                });
                if (!(credential instanceof PublicKeyCredential)) throw new DOMException("", "NotAllowedError");
                credentialJson = registrationToJson(credential);
              } catch (problem) {
                const message = securityKeyProblem(problem);
                return { ok: false, errors: [{ field: null, code: "browser", message }] };
              }
              const completed = await completeSecurityKeyRegistration(client, credentialJson, name);
              if (!completed.ok) onError(completed.errors);
              return completed;
            },
            async () => {
              setDone(`Security key “${name.trim() || "Security key"}” added.`);
              if (!hasRecoveryCodes) await showNewCodes();
              reload();
            },
          )
        }
      />

      {hasRecoveryCodes && !codes && (
        <>
          <h3>Recovery codes</h3>
          <p>
            If you lose your phone or key, a recovery code lets you sign in once. Making new codes
            stops the old ones working.
          </p>
          <button
            type="button"
            className="secondary-button"
            disabled={busy}
            onClick={() => void guarded(() => generateRecoveryCodes(client), (made) => {
              setCodes(made);
              reload();
            })}
          >
            Make New Recovery Codes
          </button>
        </>
      )}
    </Section>
  );
}

const FACTOR_CHANGE_HINT = "For your security, enter your password again to change how you sign in.";

/** Asks for the password again (the `reauthenticate` mutation); Settings uses it too. */
export function ReauthenticateForm({
  onCancel,
  onDone,
  hint = FACTOR_CHANGE_HINT,
}: {
  onCancel: () => void;
  onDone: () => void;
  hint?: string;
}) {
  const client = useClient();
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const outcome = await reauthenticate(client, password);
    setBusy(false);
    if (outcome.ok) onDone();
    else setErrors(outcome.errors);
  };
  return (
    <form className="form account-inline" onSubmit={onSubmit} noValidate>
      <FormProblem errors={errors} shownFields={["password"]} />
      <Field
        label="Your password"
        hint={hint}
        type="password"
        name="password"
        autoComplete="current-password"
        autoFocus
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
        error={fieldMessages(errors).password}
      />
      <div className="button-row">
        <button type="submit" className="primary-button" disabled={busy}>
          Continue
        </button>
        <button type="button" className="secondary-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function TotpConfirmForm({
  secret,
  onCancel,
  confirm,
}: {
  secret: TotpSecret;
  onCancel: () => void;
  confirm: (code: string, onError: (errors: FieldError[]) => void) => Promise<void>;
}) {
  const [code, setCode] = useState("");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [busy, setBusy] = useState(false);
  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    setErrors([]);
    await confirm(code.replace(/\s/g, ""), setErrors);
    setBusy(false);
  };
  return (
    <div className="account-inline">
      <ol className="account-steps">
        <li>
          Open your authenticator app (for example Microsoft Authenticator or Google
          Authenticator) and choose to add an account.
        </li>
        <li>
          {secret.qrCodeSvg ? (
            <>
              Scan this QR code with the app:
              <img
                className="account-qr-code"
                src={"data:image/svg+xml;utf8," + encodeURIComponent(secret.qrCodeSvg)}
                alt="QR code for your authenticator app"
              />
              If you cannot scan it, choose to enter a key instead and enter this key, with the
              account name Haven:
            </>
          ) : (
            "Choose to enter a key and enter this key, with the account name Haven:"
          )}
          <p className="code-text account-secret">
            {groupSecret(secret.secret)}
          </p>
          <p className="field-hint">
            If your app accepts a setup link instead, use:{" "}
            <span className="code-text">{secret.otpauthUri}</span>
          </p>
        </li>
        <li>Type the 6-digit code the app then shows.</li>
      </ol>
      <form className="form" onSubmit={onSubmit} noValidate>
        <Field
          label="6-digit code from the app"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          autoFocus
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={fieldMessages(errors).code}
        />
        <div className="button-row">
          <button type="submit" className="primary-button" disabled={busy}>
            Confirm Code
          </button>
          <button type="button" className="secondary-button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </div>
  );
}

function SecurityKeyForm({
  busy,
  register,
}: {
  busy: boolean;
  register: (name: string, onError: (errors: FieldError[]) => void) => Promise<void>;
}) {
  const [name, setName] = useState("Security key");
  const [errors, setErrors] = useState<FieldError[]>([]);
  const supported = typeof window !== "undefined" && "PublicKeyCredential" in window;
  if (!supported) {
    return <p>This browser cannot use security keys. Try a current version of Chrome, Edge, Firefox or Safari.</p>;
  }
  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setErrors([]);
    await register(name, setErrors);
  };
  return (
    <form className="form" onSubmit={onSubmit} noValidate>
      <Field
        label="Name for the key"
        hint="So you can tell your keys apart, e.g. Blue key."
        name="name"
        maxLength={64}
        value={name}
        onChange={(event) => setName(event.target.value)}
        error={fieldMessages(errors).name ?? fieldMessages(errors).credential}
      />
      <button type="submit" className="secondary-button" disabled={busy}>
        Add Security Key
      </button>
    </form>
  );
}

function RecoveryCodes({ codes, onDismiss }: { codes: string[]; onDismiss: () => void }) {
  const [copied, setCopied] = useState("");
  return (
    <div className="account-codes" role="region" aria-labelledby="recovery-codes-heading">
      <h3 id="recovery-codes-heading">Your recovery codes</h3>
      <p className="account-warning">
        Save these codes somewhere safe now. You will not see them again. Each one lets you
        sign in once if you lose your phone or security key.
      </p>
      <ol className="code-text account-code-list">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <div className="button-row">
        <button
          type="button"
          className="secondary-button"
          onClick={() => {
            navigator.clipboard
              .writeText(codes.join("\n"))
              .then(() => setCopied("Codes copied."))
              .catch(() => setCopied("Copying failed: select the codes and copy them instead."));
          }}
        >
          Copy Codes
        </button>
        <button type="button" className="primary-button" onClick={onDismiss}>
          I Have Saved Them
        </button>
        <span role="status">{copied}</span>
      </div>
    </div>
  );
}

/* --- Alert e-mails -------------------------------------------------------------------- */

function AlertEmailsSection({ initial }: { initial: boolean }) {
  const client = useClient();
  const [checked, setChecked] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState("");
  const onChange = async (value: boolean): Promise<void> => {
    setChecked(value);
    setDone("");
    setBusy(true);
    const outcome = await updateAlertEmails(client, value);
    setBusy(false);
    if (outcome.ok) {
      setErrors([]);
      setChecked(outcome.value);
      setDone(
        outcome.value
          ? "Saved: you will get an e-mail each time you are alerted."
          : "Saved: you will no longer get alert e-mails. Alerts still appear on your Dashboard.",
      );
    } else {
      // The choice on screen stays as it is on the server.
      setChecked(!value);
      setErrors(outcome.errors);
    }
  };
  return (
    <Section id="alert-emails" title="Alert e-mails">
      <Success message={done} />
      <FormProblem errors={errors} />
      <label className="choice">
        <input
          type="checkbox"
          checked={checked}
          disabled={busy}
          onChange={(event) => void onChange(event.target.checked)}
        />
        E-mail me when I am alerted
      </label>
      <p className="field-hint">Alerts always appear on your Dashboard either way.</p>
    </Section>
  );
}

/* --- Sessions ------------------------------------------------------------------------- */

function SessionsSection({ sessions, reload }: { sessions: readonly Session[]; reload: () => void }) {
  const client = useClient();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [done, setDone] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const end = async (session: Session): Promise<void> => {
    setDone("");
    setBusy(session.id);
    const outcome = await endSession(client, session.id);
    setBusy(null);
    if (outcome.ok) {
      setErrors([]);
      setDone(`Session ended: ${describeUserAgent(session.userAgent)} is signed out.`);
      reload();
    } else {
      setErrors(outcome.errors);
    }
  };
  return (
    <Section id="sessions" title="Where you are signed in">
      <p>If you see a session you do not recognise, end it and change your password.</p>
      <Success message={done} />
      <FormProblem errors={errors} />
      <table className="data-table">
        <caption className="visually-hidden">Your signed-in sessions</caption>
        <thead>
          <tr>
            <th scope="col">Device</th>
            <th scope="col">Address</th>
            <th scope="col">Signed in</th>
            <th scope="col">Last active</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sessions.map((session) => {
            const device = describeUserAgent(session.userAgent);
            return (
              <tr key={session.id}>
                <td data-label="Device">
                  <span title={session.userAgent}>{device}</span>
                </td>
                <td data-label="Address">{session.ipAddress ?? "Unknown"}</td>
                <td data-label="Signed in">{formatUkDateTime(session.createdAt)}</td>
                <td data-label="Last active">{formatUkDateTime(session.lastSeenAt)}</td>
                <td>
                  {session.current ? (
                    <strong className="account-this-device">This device</strong>
                  ) : (
                    <button
                      type="button"
                      className="secondary-button danger-button"
                      disabled={busy === session.id}
                      onClick={() => void end(session)}
                      aria-label={`End Session on ${device}, last active ${formatUkDateTime(session.lastSeenAt)}`}
                    >
                      End Session
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </Section>
  );
}
