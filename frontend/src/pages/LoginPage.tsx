import { type FormEvent, useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router";
import { useClient } from "urql";

import { login } from "../api/auth";
import { Field, FormError } from "../components/Field";
import { Page } from "../components/Page";
import { safeNextPath } from "../lib/nextPath";
import { errorsByField } from "../api/outcome";

export function LoginPage() {
  const client = useClient();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get("next"));
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof errorsByField>>({
    fields: {},
    form: undefined,
  });

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const result = await login(client, email.trim(), password);
    setBusy(false);
    if (result.ok && result.secondFactorRequired) {
      navigate(`/second-factor?next=${encodeURIComponent(next)}`);
      return;
    }
    if (result.ok && result.mustEnrolSecondFactor) {
      // Key access needs a second factor; Account Settings is where one is added.
      window.location.assign("/account");
      return;
    }
    if (result.ok) {
      // A full load: the new session and CSRF token apply to everything from here on.
      window.location.assign(next);
      return;
    }
    setErrors(errorsByField(result.errors));
  };

  return (
    <Page title="Login">
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.form} />
        <Field
          label="Email address"
          type="email"
          name="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={errors.fields.email}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={errors.fields.password}
        />
        <button type="submit" className="primary-button" disabled={busy}>
          Login
        </button>
      </form>
      <p className="below-form">
        <Link to="/forgotten-password">
          Forgotten your password or using Haven for the first time?
        </Link>
      </p>
    </Page>
  );
}
