import { type FormEvent, useId, useState } from "react";
import { type Client, useClient, useQuery } from "urql";

import type { FieldError } from "../../api/outcome";
import { type Outcome, outcomeOf } from "../../api/outcome";
import { useCurrentUser } from "../../components/CurrentUser";
import { Field } from "../../components/Field";
import { FormProblem } from "../../components/FormProblem";
import { fieldMessages } from "../../api/outcome";
import { graphql } from "../../gql";
import type { ApiClientsQuery as ApiClientsResult } from "../../gql/graphql";
import { formatUkDateTime } from "../../lib/dates";
import { useWithPassword } from "./reauthentication";
import "../../components/controls.css";
import { SelectField } from "./controls";
import "./ApiClientsSettings.css";

type ApiClient = ApiClientsResult["apiClients"][number];

/** What a token may do, as the API names it and as admins read it. */
export const SCOPES: readonly { value: string; label: string }[] = [
  { value: "pupils:write", label: "Create and update pupils" },
  { value: "staff:write", label: "Create and update staff" },
  { value: "groups:write", label: "Create and update year and tutor groups" },
  { value: "incidents:read", label: "Read incidents" },
  { value: "incidents:write", label: "Add incidents" },
];

/** How long a new token works: a sync tool's token can be given an end, or none. */
export const EXPIRY_CHOICES: readonly { days: number | null; label: string }[] = [
  { days: null, label: "Never" },
  { days: 30, label: "In 30 days" },
  { days: 90, label: "In 90 days" },
  { days: 365, label: "In 1 year" },
];

const DAY_MS = 24 * 60 * 60 * 1000;

/** The moment a token chosen to last `days` stops working, or null for never. */
export function expiryFrom(days: number | null, now: Date = new Date()): string | null {
  return days === null ? null : new Date(now.getTime() + days * DAY_MS).toISOString();
}

export const ApiClientsQuery = graphql(`
  query ApiClients {
    apiClients {
      id
      name
      scopes
      keyId
      createdBy
      createdAt
      lastUsedAt
      revokedAt
      expiresAt
      expired
    }
  }
`);

const CreateApiClientMutation = graphql(`
  mutation CreateApiClient($name: String!, $scopes: [String!]!, $expiresAt: DateTime) {
    createApiClient(name: $name, scopes: $scopes, expiresAt: $expiresAt) {
      apiClient {
        id
        name
      }
      token
      errors {
        ...ErrorFields
      }
    }
  }
`);

const RevokeApiClientMutation = graphql(`
  mutation RevokeApiClient($id: ID!) {
    revokeApiClient(id: $id) {
      apiClient {
        id
        revokedAt
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

async function createApiClient(
  client: Client,
  name: string,
  scopes: string[],
  expiresAt: string | null,
): Promise<Outcome<{ name: string; token: string }>> {
  const result = await client
    .mutation(CreateApiClientMutation, { name, scopes, expiresAt })
    .toPromise();
  return outcomeOf(result, (data) => ({
    errors: data.createApiClient.errors,
    value: { name: data.createApiClient.apiClient?.name ?? name, token: data.createApiClient.token ?? "" },
  }));
}

async function revokeApiClient(client: Client, id: string): Promise<Outcome<null>> {
  const result = await client.mutation(RevokeApiClientMutation, { id }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.revokeApiClient.errors, value: null }));
}

/**
 * API clients for MIS integrations (school admins only): the list, a form to create one
 * (its token is shown once), and revoking. A section of Settings; it brings no page heading.
 */
export function ApiClientsSettings() {
  const me = useCurrentUser();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ApiClientsQuery,
    requestPolicy: "cache-and-network",
    pause: !me.isSchoolAdmin,
  });
  const [status, setStatus] = useState("");
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const reload = (): void => refetch({ requestPolicy: "network-only" });

  if (!me.isSchoolAdmin) {
    return <p>Only school admins can manage API clients.</p>;
  }

  return (
    <section className="api-clients" aria-labelledby="api-clients-heading">
      <h2 id="api-clients-heading">API clients</h2>
      <p>
        API clients let your MIS sync tool (SIMS, Arbor, Bromcom) send pupils, staff and groups
        to Haven. Each has its own token and can do only what its scopes allow. A token stops
        working when it expires, when it is revoked, or when the admin who created it is
        deactivated or is no longer an admin.
      </p>
      <p role="status" className={status ? "success-message" : "visually-hidden"}>
        {status}
      </p>
      {created && (
        <NewToken
          created={created}
          onDone={() => {
            setCreated(null);
            setStatus(`API client “${created.name}” created.`);
          }}
        />
      )}
      {error && !data && (
        <div className="form-error" role="alert">
          <p>The API clients could not be loaded. Check your connection, then try again.</p>
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
      {data && (
        <ApiClientList
          clients={data.apiClients}
          revoked={(name) => {
            setStatus(`API client “${name}” revoked: its token no longer works.`);
            reload();
          }}
        />
      )}
      <CreateApiClientForm
        created={(result) => {
          setStatus("");
          setCreated(result);
          reload();
        }}
      />
    </section>
  );
}

function ApiClientList({
  clients,
  revoked,
}: {
  clients: readonly ApiClient[];
  revoked: (name: string) => void;
}) {
  const client = useClient();
  const [confirming, setConfirming] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);

  if (clients.length === 0) return <p>There are no API clients yet.</p>;

  const revoke = async (apiClient: ApiClient): Promise<void> => {
    setBusy(true);
    const outcome = await revokeApiClient(client, apiClient.id);
    setBusy(false);
    if (outcome.ok) {
      setErrors([]);
      setConfirming(null);
      revoked(apiClient.name);
    } else {
      setErrors(outcome.errors);
    }
  };

  return (
    <>
      <FormProblem errors={errors} />
      <table className="data-table api-clients-table">
        <caption className="visually-hidden">API clients</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Scopes</th>
            <th scope="col">Created by</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Expires</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {clients.map((apiClient) => (
            <tr
              key={apiClient.id}
              className={apiClient.revokedAt || apiClient.expired ? "api-client-revoked" : undefined}
            >
              <td data-label="Name">
                <strong>{apiClient.name}</strong>
                <span className="api-client-key code-text">{apiClient.keyId}</span>
              </td>
              <td data-label="Scopes">
                <ul className="api-client-scopes">
                  {apiClient.scopes.map((scope) => (
                    <li key={scope} className="code-text">
                      {scope}
                    </li>
                  ))}
                </ul>
              </td>
              <td data-label="Created by">{apiClient.createdBy ?? "—"}</td>
              <td data-label="Created">{formatUkDateTime(apiClient.createdAt)}</td>
              <td data-label="Last used">
                {apiClient.lastUsedAt ? formatUkDateTime(apiClient.lastUsedAt) : "Never"}
              </td>
              <td data-label="Expires">
                {apiClient.expiresAt
                  ? `${apiClient.expired ? "Expired " : ""}${formatUkDateTime(apiClient.expiresAt)}`
                  : "Never"}
              </td>
              <td data-label="Status">
                {apiClient.revokedAt ? (
                  <>Revoked {formatUkDateTime(apiClient.revokedAt)}</>
                ) : confirming === apiClient.id ? (
                  <div className="api-client-confirm" role="group" aria-label={`Revoke ${apiClient.name}`}>
                    <p>
                      Revoke “{apiClient.name}”? Its token stops working at once, and this cannot be
                      undone.
                    </p>
                    <div className="button-row">
                      <button
                        type="button"
                        className="primary-button danger-primary"
                        disabled={busy}
                        onClick={() => void revoke(apiClient)}
                      >
                        Revoke
                      </button>
                      <button
                        type="button"
                        className="secondary-button"
                        autoFocus
                        onClick={() => setConfirming(null)}
                      >
                        Cancel
                      </button>
                    </div>
                  </div>
                ) : (
                  <>
                    {apiClient.expired ? (
                      <span>Expired</span>
                    ) : (
                      <span className="api-client-active">Active</span>
                    )}{" "}
                    <button
                      type="button"
                      aria-label={`Revoke ${apiClient.name}`}
                      className="secondary-button danger-button"
                      onClick={() => {
                        setErrors([]);
                        setConfirming(apiClient.id);
                      }}
                    >
                      Revoke
                    </button>
                  </>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

function CreateApiClientForm({ created }: { created: (result: { name: string; token: string }) => void }) {
  const client = useClient();
  const withPassword = useWithPassword();
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState("never");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const fields = fieldMessages(errors);
  const scopesErrorId = useId();

  const onSubmit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const expiresAt = expiryFrom(expiry === "never" ? null : Number(expiry));
    const outcome = await withPassword(
      () => createApiClient(client, name, scopes, expiresAt),
      (answer) => (answer.ok ? [] : answer.errors),
    );
    setBusy(false);
    if (!outcome.ok) {
      setErrors(outcome.errors);
      return;
    }
    setErrors([]);
    setName("");
    setScopes([]);
    setExpiry("never");
    created(outcome.value);
  };

  return (
    <div className="panel api-clients-create">
      <h3>Create an API client</h3>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormProblem errors={errors} shownFields={["name", "scopes", "expiresAt"]} />
        <Field
          label="Name"
          hint="What it is, e.g. Arbor nightly sync. It appears in the audit log."
          name="name"
          required
          maxLength={100}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fields.name}
        />
        <fieldset
          className={fields.scopes ? "choice-group field-invalid" : "choice-group"}
          aria-describedby={fields.scopes ? scopesErrorId : undefined}
        >
          <legend>Scopes: what its token may do</legend>
          {fields.scopes && (
            <p id={scopesErrorId} className="field-error">
              {fields.scopes}
            </p>
          )}
          {SCOPES.map((scope) => (
            <label key={scope.value} className="choice">
              <input
                type="checkbox"
                name="scopes"
                value={scope.value}
                checked={scopes.includes(scope.value)}
                onChange={(event) =>
                  setScopes((current) =>
                    event.target.checked
                      ? [...current, scope.value]
                      : current.filter((value) => value !== scope.value),
                  )
                }
              />
              <span>
                <span className="code-text">{scope.value}</span> – {scope.label}
              </span>
            </label>
          ))}
        </fieldset>
        <SelectField
          label="Token expires"
          name="expiresAt"
          value={expiry}
          onChange={(event) => setExpiry(event.target.value)}
          error={fields.expiresAt}
        >
          {EXPIRY_CHOICES.map((choice) => (
            <option key={choice.label} value={choice.days === null ? "never" : String(choice.days)}>
              {choice.label}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="primary-button" disabled={busy}>
          Create API Client
        </button>
      </form>
    </div>
  );
}

function NewToken({
  created,
  onDone,
}: {
  created: { name: string; token: string };
  onDone: () => void;
}) {
  const [copied, setCopied] = useState("");
  const tokenId = useId();
  return (
    <div className="api-client-token" role="region" aria-labelledby={`${tokenId}-heading`}>
      <h3 id={`${tokenId}-heading`}>Token for “{created.name}”</h3>
      <p className="api-client-warning">
        Copy this token into your sync tool now. You will not see it again: Haven keeps only a
        fingerprint of it. If it is lost, revoke this client and create a new one.
      </p>
      <label htmlFor={tokenId} className="api-client-token-label">
        Token
      </label>
      <input
        id={tokenId}
        className="code-text api-client-token-value"
        readOnly
        value={created.token}
        onFocus={(event) => event.target.select()}
      />
      <div className="button-row">
        <button
          type="button"
          className="secondary-button"
          onClick={() => {
            navigator.clipboard
              .writeText(created.token)
              .then(() => setCopied("Token copied."))
              .catch(() => setCopied("Copying failed: select the token and copy it instead."));
          }}
        >
          Copy Token
        </button>
        <button type="button" className="primary-button" onClick={onDone}>
          I Have Copied It
        </button>
        <span role="status">{copied}</span>
      </div>
    </div>
  );
}
