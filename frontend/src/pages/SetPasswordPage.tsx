import { type FormEvent, useState } from "react";
import { Link, useParams } from "react-router";
import { useClient } from "urql";

import { resetPassword } from "../api/auth";
import { Field, FormError } from "../components/Field";
import { Page } from "../components/Page";
import { errorsByField } from "../api/outcome";

/** Step two: the page the e-mailed link opens, at /set-password/<uid>/<token>. */
export function SetPasswordPage() {
  const client = useClient();
  const { uid = "", token = "" } = useParams();
  const [password, setPassword] = useState("");
  const [confirmation, setConfirmation] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof errorsByField>>({
    fields: {},
    form: undefined,
  });

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    if (password !== confirmation) {
      setErrors({
        fields: { confirmation: "The two passwords are not the same." },
        form: undefined,
      });
      return;
    }
    setBusy(true);
    const result = await resetPassword(client, uid, token, password);
    setBusy(false);
    if (result.ok) {
      setDone(true);
      return;
    }
    setErrors(errorsByField(result.errors));
  };

  if (done) {
    return (
      <Page title="Password set">
        <p role="status">Your password has been set. You can now log in with it.</p>
        <p>
          <Link to="/login">Go to Login</Link>
        </p>
      </Page>
    );
  }

  return (
    <Page title="Set your password">
      <p>Choose a password of at least 12 characters that you do not use anywhere else.</p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.form ?? errors.fields.token ?? errors.fields.uid} />
        <Field
          label="New password"
          type="password"
          name="newPassword"
          autoComplete="new-password"
          required
          minLength={12}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.fields.newPassword}
        />
        <Field
          label="Confirm new password"
          type="password"
          name="confirmation"
          autoComplete="new-password"
          required
          value={confirmation}
          onChange={(event) => setConfirmation(event.target.value)}
          error={errors.fields.confirmation}
        />
        <button type="submit" className="primary-button" disabled={busy}>
          Set Password
        </button>
      </form>
      <p className="below-form">
        <Link to="/forgotten-password">Ask for a new link</Link>
      </p>
    </Page>
  );
}
