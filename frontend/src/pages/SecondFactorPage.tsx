import { type FormEvent, useState } from "react";
import { useSearchParams } from "react-router";
import { useClient } from "urql";

import { verifySecondFactor } from "../api/auth";
import { Field, FormError } from "../components/Field";
import { Page } from "../components/Page";
import { safeNextPath } from "../lib/nextPath";
import { errorsByField } from "../api/outcome";

/** Key holders give the code from their authenticator app after their password. */
export function SecondFactorPage() {
  const client = useClient();
  const [searchParams] = useSearchParams();
  const next = safeNextPath(searchParams.get("next"));
  const [code, setCode] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<ReturnType<typeof errorsByField>>({
    fields: {},
    form: undefined,
  });

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const result = await verifySecondFactor(client, code.replace(/\s/g, ""));
    setBusy(false);
    if (result.ok) {
      window.location.assign(next);
      return;
    }
    setErrors(errorsByField(result.errors));
  };

  return (
    <Page title="Second step">
      <p>
        Your account has key access or school admin rights, so Haven asks for a second step.
      </p>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormError message={errors.form} />
        <Field
          label="Code from your authenticator app"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          required
          value={code}
          onChange={(event) => setCode(event.target.value)}
          error={errors.fields.code}
        />
        <button type="submit" className="primary-button" disabled={busy}>
          Continue
        </button>
      </form>
    </Page>
  );
}
