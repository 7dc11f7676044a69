import { type FormEvent, useState } from "react";
import { Link } from "react-router";
import { useClient } from "urql";

import { requestPasswordReset } from "../api/auth";
import { Field, FormError } from "../components/Field";
import { Page } from "../components/Page";
import { errorsByField } from "../api/outcome";

/** Step one of a first or forgotten password: the e-mail address the school gave Haven. */
export function ForgottenPasswordPage() {
  const client = useClient();
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof errorsByField>>({
    fields: {},
    form: undefined,
  });

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const result = await requestPasswordReset(client, email.trim());
    setBusy(false);
    if (result.ok) {
      setSent(true);
      return;
    }
    setErrors(errorsByField(result.errors));
  };

  return (
    <Page title="Reset Password">
      {sent ? (
        <div role="status" className="confirmation">
          <p>
            If {email.trim()} belongs to a member of staff here, we have sent it a link to set a
            password. The link works once and for a limited time.
          </p>
          <p>
            <Link to="/login">Back to Login</Link>
          </p>
        </div>
      ) : (
        <>
          <p>
            Enter the e-mail address your school gave Haven. We will send you a link to create
            your password.
          </p>
          <form className="form" onSubmit={onSubmit} noValidate>
            <FormError message={errors.form} />
            <Field
              label="Email address"
              type="email"
              name="email"
              autoComplete="email"
              required
              value={email}
              onChange={(event) => setEmail(event.target.value)}
              error={errors.fields.email}
            />
            <button type="submit" className="primary-button" disabled={busy}>
              Reset Password
            </button>
          </form>
          <p className="below-form">
            <Link to="/login">Back to Login</Link>
          </p>
        </>
      )}
    </Page>
  );
}
