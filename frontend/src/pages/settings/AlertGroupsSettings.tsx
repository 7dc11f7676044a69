import { useCallback, useEffect, useId, useState } from "react";
import { useQuery } from "urql";

import { FormError } from "../../components/Field";
import { Page } from "../../components/Page";
import type { SettingsAlertGroupsQuery as SettingsAlertGroupsResult } from "../../gql/graphql";
import { moved } from "../../lib/order";
import {
  AddAlertGroupMemberMutation,
  CreateAlertGroupMutation,
  RemoveAlertGroupMemberMutation,
  ReorderAlertGroupsMutation,
  SetAlertGroupActiveMutation,
  SettingsAlertGroupsQuery,
  StaffSearchQuery,
  UpdateAlertGroupMutation,
} from "./settingsApi";
import {
  type Errors,
  ListProblem,
  MoveButtons,
  NameForm,
  Tags,
  useChange,
  useFocusAfterReload,
} from "./settingsParts";
import "./Settings.css";

type Group = NonNullable<SettingsAlertGroupsResult["settingsAlertGroups"]>[number];
type Change = ReturnType<typeof useChange>;

const NAME_MAX = 80;
const SEARCH_DELAY_MS = 250;

function useDebounced(value: string, delay: number): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = window.setTimeout(() => setSettled(value), delay);
    return () => window.clearTimeout(timer);
  }, [value, delay]);
  return settled;
}

/** Find a colleague by name and add them: results are buttons, so the keyboard can reach them. */
function AddMember({ group, change }: { group: Group; change: Change }) {
  const inputId = useId();
  const resultsId = useId();
  const [search, setSearch] = useState("");
  const [problem, setProblem] = useState<string>();
  const settled = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const [{ data, fetching }] = useQuery({
    query: StaffSearchQuery,
    variables: { search: settled },
    pause: settled.length < 2,
  });
  const memberIds = new Set(group.members.map((m) => m.id));
  const found = (settled.length >= 2 ? (data?.staff.edges ?? []) : [])
    .map((edge) => edge.node)
    .filter((person) => !memberIds.has(person.id));

  const add = async (staffId: string): Promise<void> => {
    const answer: Errors = await change(
      AddAlertGroupMemberMutation,
      { alertGroupId: group.id, staffId },
      (d) => d.addAlertGroupMember,
    );
    const message = answer.form ?? Object.values(answer.fields)[0];
    setProblem(message);
    if (!message) {
      setSearch("");
      document.getElementById(inputId)?.focus();
    }
  };

  return (
    <div className="settings-form">
      <div className="field">
        <label htmlFor={inputId}>Add a member to {group.name}</label>
        <p className="field-hint" id={`${inputId}-hint`}>
          Type at least two letters of their name, then choose them below.
        </p>
        <input
          id={inputId}
          type="search"
          autoComplete="off"
          value={search}
          aria-describedby={`${inputId}-hint`}
          aria-controls={resultsId}
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <div id={resultsId} aria-live="polite">
        {settled.length >= 2 && !fetching && found.length === 0 && (
          <p className="settings-note">No colleague found who is not already a member.</p>
        )}
        {found.length > 0 && (
          <ul className="staff-results" aria-label={`Colleagues to add to ${group.name}`}>
            {found.map((person) => (
              <li key={person.id}>
                <button
                  type="button"
                  className="settings-button"
                  aria-label={`Add ${person.fullName} to ${group.name}`}
                  onClick={() => void add(person.id)}
                >
                  {person.fullName}
                  {person.jobTitle ? `, ${person.jobTitle}` : ""}
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <FormError message={problem} />
    </div>
  );
}

function GroupItem({
  group,
  index,
  count,
  change,
  onMove,
}: {
  group: Group;
  index: number;
  count: number;
  change: Change;
  onMove: (direction: -1 | 1) => void;
}) {
  const [editing, setEditing] = useState(false);
  const [problem, setProblem] = useState<string>();
  const headingId = useId();
  const name = group.name;
  const act = async (run: () => Promise<Errors>): Promise<void> => {
    const answer = await run();
    setProblem(answer.form ?? Object.values(answer.fields)[0]);
  };
  return (
    <li
      className={group.isActive ? "settings-card" : "settings-card settings-inactive"}
      aria-labelledby={headingId}
    >
      <div className="settings-row">
        <h3 id={headingId} className="settings-card-heading">
          {name}
        </h3>
        <Tags active={group.isActive} />
      </div>
      {editing ? (
        <NameForm
          label={`Rename alert group ${name}`}
          initial={name}
          submitLabel="Save"
          maxLength={NAME_MAX}
          onCancel={() => setEditing(false)}
          onSubmit={async (newName) => {
            const answer = await change(
              UpdateAlertGroupMutation,
              { id: group.id, name: newName },
              (d) => d.updateAlertGroup,
            );
            if (!answer.form && Object.keys(answer.fields).length === 0) setEditing(false);
            return answer;
          }}
        />
      ) : (
        <div className="settings-actions">
          <button
            type="button"
            className="settings-button"
            aria-label={`Rename ${name}`}
            onClick={() => setEditing(true)}
          >
            Rename
          </button>
          <MoveButtons name={name} index={index} count={count} onMove={onMove} />
          <button
            type="button"
            className="settings-button"
            aria-label={`${group.isActive ? "Deactivate" : "Reactivate"} ${name}`}
            onClick={() =>
              act(() =>
                change(
                  SetAlertGroupActiveMutation,
                  { id: group.id, active: !group.isActive },
                  (d) => d.setAlertGroupActive,
                ),
              )
            }
          >
            {group.isActive ? "Deactivate" : "Reactivate"}
          </button>
        </div>
      )}
      <FormError message={problem} />
      <div className="settings-sub">
        <h4 className="settings-sub-heading">Members</h4>
        {group.members.length === 0 ? (
          <p className="settings-note">No members yet: alerting this group reaches nobody.</p>
        ) : (
          <ul className="settings-list">
            {group.members.map((member) => (
              <li key={member.id} className="settings-item">
                <div className="settings-row">
                  <span className="settings-name">
                    {member.fullName}
                    {member.jobTitle && (
                      <span className="settings-job-title">, {member.jobTitle}</span>
                    )}
                  </span>
                  <span className="settings-actions">
                    <button
                      type="button"
                      className="settings-button"
                      aria-label={`Remove ${member.fullName} from ${name}`}
                      onClick={() =>
                        act(() =>
                          change(
                            RemoveAlertGroupMemberMutation,
                            { alertGroupId: group.id, staffId: member.id },
                            (d) => d.removeAlertGroupMember,
                          ),
                        )
                      }
                    >
                      Remove
                    </button>
                  </span>
                </div>
              </li>
            ))}
          </ul>
        )}
        <AddMember group={group} change={change} />
      </div>
    </li>
  );
}

export function AlertGroupsSettings() {
  const [{ data, fetching, error }, reexecute] = useQuery({
    query: SettingsAlertGroupsQuery,
    requestPolicy: "cache-and-network",
  });
  const reload = useCallback(() => reexecute({ requestPolicy: "network-only" }), [reexecute]);
  const change = useChange(reload);
  const focusLater = useFocusAfterReload(data);
  const [orderProblem, setOrderProblem] = useState<string>();
  const groups = data?.settingsAlertGroups;

  const move = async (at: number, direction: -1 | 1): Promise<void> => {
    if (!groups) return;
    focusLater(`Move ${groups[at]?.name ?? ""} ${direction < 0 ? "up" : "down"}`);
    const ids = moved(
      groups.map((g) => g.id),
      at,
      direction,
    );
    const answer = await change(ReorderAlertGroupsMutation, { ids }, (d) => d.reorderAlertGroups);
    setOrderProblem(answer.form ?? Object.values(answer.fields)[0]);
    if (answer.form || Object.keys(answer.fields).length > 0) reload();
  };

  return (
    <Page title="Alert group settings" heading="Alert groups">
      <p className="settings-intro">
        Alerting a group alerts the colleagues in it at that moment. Groups appear in this
        order on Add Incident and Add Action; a deactivated group is not offered.
      </p>
      <section aria-labelledby="add-group-heading" className="settings-section">
        <h2 id="add-group-heading">Add an alert group</h2>
        <NameForm
          label="Name"
          submitLabel="Add alert group"
          maxLength={NAME_MAX}
          onSubmit={(name) => change(CreateAlertGroupMutation, { name }, (d) => d.createAlertGroup)}
        />
      </section>
      <section aria-labelledby="group-list-heading" className="settings-section">
        <h2 id="group-list-heading">Alert groups</h2>
        <FormError message={orderProblem} />
        {fetching && !data ? (
          <p className="loading" role="status">
            Loading…
          </p>
        ) : groups ? (
          <ol className="settings-list">
            {groups.map((group, at) => (
              <GroupItem
                key={group.id}
                group={group}
                index={at}
                count={groups.length}
                change={change}
                onMove={(direction) => void move(at, direction)}
              />
            ))}
          </ol>
        ) : (
          <ListProblem offline={Boolean(error)} retry={reload} />
        )}
      </section>
    </Page>
  );
}
