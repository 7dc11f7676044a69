import { useCallback, useState } from "react";
import { useQuery } from "urql";

import { FormError } from "../../components/Field";
import { Page } from "../../components/Page";
import type { SettingsAgenciesQuery as SettingsAgenciesResult } from "../../gql/graphql";
import {
  CreateAgencyMutation,
  DeleteAgencyMutation,
  SetAgencyActiveMutation,
  SettingsAgenciesQuery,
  UpdateAgencyMutation,
} from "./settingsApi";
import { DeleteButton, type Errors, ListProblem, NameForm, Tags, useChange } from "./settingsParts";
import "./Settings.css";

type Agency = NonNullable<SettingsAgenciesResult["settingsAgencies"]>[number];

const NAME_MAX = 120;

function AgencyItem({ agency, change }: { agency: Agency; change: ReturnType<typeof useChange> }) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string>();
  const name = agency.name;
  const act = async (run: () => Promise<Errors>): Promise<void> => {
    const answer = await run();
    setProblem(answer.form ?? Object.values(answer.fields)[0]);
  };
  return (
    <li className={agency.isActive ? "settings-item" : "settings-item settings-inactive"}>
      {editing ? (
        <NameForm
          label={`Rename agency ${name}`}
          initial={name}
          submitLabel="Save"
          maxLength={NAME_MAX}
          onCancel={() => setEditing(false)}
          onSubmit={async (newName) => {
            const answer = await change(
              UpdateAgencyMutation,
              { id: agency.id, name: newName },
              (d) => d.updateAgency,
            );
            if (!answer.form && Object.keys(answer.fields).length === 0) setEditing(false);
            return answer;
          }}
        />
      ) : (
        <div className="settings-row">
          <span className="settings-name">{name}</span>
          <Tags active={agency.isActive} inUse={agency.inUse} />
          <span className="settings-actions">
            <button
              type="button"
              className="settings-button"
              aria-label={`Rename ${name}`}
              onClick={() => setEditing(true)}
            >
              Rename
            </button>
            <button
              type="button"
              className="settings-button"
              aria-label={`${agency.isActive ? "Deactivate" : "Reactivate"} ${name}`}
              onClick={() =>
                act(() =>
                  change(
                    SetAgencyActiveMutation,
                    { id: agency.id, active: !agency.isActive },
                    (d) => d.setAgencyActive,
                  ),
                )
              }
            >
              {agency.isActive ? "Deactivate" : "Reactivate"}
            </button>
            {!agency.inUse && (
              <DeleteButton
                name={name}
                onDelete={() =>
                  act(() => change(DeleteAgencyMutation, { id: agency.id }, (d) => d.deleteAgency))
                }
              />
            )}
          </span>
        </div>
      )}
      <FormError message={problem} />
    </li>
  );
}

export function AgenciesSettings() {
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: SettingsAgenciesQuery,
    requestPolicy: "cache-and-network",
  });
  const reload = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const change = useChange(reload);
  const agencies = data?.settingsAgencies;
  return (
    <Page title="Agency settings" heading="Agencies">
      <p className="settings-intro">
        The agencies staff can record as "Agency Involved" on incidents and actions. One that
        records name can be deactivated but not deleted: it is no longer offered, and the
        records keep showing it.
      </p>
      <section aria-labelledby="add-agency-heading" className="settings-section">
        <h2 id="add-agency-heading">Add an agency</h2>
        <NameForm
          label="Name"
          submitLabel="Add agency"
          maxLength={NAME_MAX}
          onSubmit={(name) => change(CreateAgencyMutation, { name }, (d) => d.createAgency)}
        />
      </section>
      <section aria-labelledby="agency-list-heading" className="settings-section">
        <h2 id="agency-list-heading">Agencies</h2>
        {fetching && !data ? (
          <p className="loading" role="status">
            Loading…
          </p>
        ) : agencies ? (
          <ul className="settings-list">
            {agencies.map((agency) => (
              <AgencyItem key={agency.id} agency={agency} change={change} />
            ))}
          </ul>
        ) : (
          <ListProblem offline={Boolean(error)} retry={reload} />
        )}
      </section>
    </Page>
  );
}
