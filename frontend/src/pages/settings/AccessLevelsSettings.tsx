import { type FormEvent, useState } from "react";
import { useMutation, useQuery } from "urql";

import { Field, FormError } from "../../components/Field";
import { Page } from "../../components/Page";
import { graphql } from "../../gql";
import type { AccessLevelsSettingsQuery } from "../../gql/graphql";
import { errorsByField } from "../../api/outcome";
import {
  type AccessLevelForm,
  GRANT_COLUMNS,
  levelForm,
  type LevelLike,
  levelInput,
  validateLevel,
  withColumn,
  withGrant,
  withId,
} from "./accessLevelForm";
import { Checkbox, CheckboxList, TextAreaField } from "./controls";
import { useWithPassword } from "./reauthentication";
import { payloadErrors } from "./staffForm";
import "./settings-people.css";

const LevelsQuery = graphql(`
  query AccessLevelsSettings {
    settingsAccessLevels {
      id
      name
      description
      isDslTeam
      staffCount
      yearGroups {
        id
        name
      }
      tutorGroups {
        id
        name
      }
      grants {
        category {
          id
          name
          colour
          isActive
        }
        canViewPupils
        canViewIncidents
        canAddIncidents
      }
    }
    settingsCategories {
      id
      name
      colour
      isActive
    }
    settingsYearGroups {
      id
      name
    }
    settingsTutorGroups {
      id
      name
    }
  }
`);

const CreateLevel = graphql(`
  mutation CreateAccessLevel($input: AccessLevelInput!) {
    createAccessLevel(input: $input) {
      accessLevel {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const UpdateLevel = graphql(`
  mutation UpdateAccessLevel($id: ID!, $input: AccessLevelInput!) {
    updateAccessLevel(id: $id, input: $input) {
      accessLevel {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const DeleteLevel = graphql(`
  mutation DeleteAccessLevel($id: ID!) {
    deleteAccessLevel(id: $id) {
      deletedId
      errors {
        ...ErrorFields
      }
    }
  }
`);

type Level = NonNullable<AccessLevelsSettingsQuery["settingsAccessLevels"]>[number];
type Editing = { kind: "new" } | { kind: "edit"; level: Level } | null;

const NO_ERRORS = { fields: {} as Record<string, string>, form: undefined as string | undefined };

/** Settings → Access levels: what key holders on each level may see and add. */
export function AccessLevelsSettings() {
  const [{ data, fetching, error }, refetch] = useQuery({
    query: LevelsQuery,
    requestPolicy: "cache-and-network",
  });
  const [editing, setEditing] = useState<Editing>(null);
  const [status, setStatus] = useState("");

  const reload = () => refetch({ requestPolicy: "network-only" });

  if (fetching && !data) {
    return (
      <p className="loading" role="status">
        Loading…
      </p>
    );
  }
  if (error && !data) {
    return (
      <p className="page-message" role="alert">
        Access levels could not be loaded. Check your connection, then try again.
      </p>
    );
  }
  const levels = data?.settingsAccessLevels;
  if (!levels) {
    return (
      <Page title="Access levels">
        <p className="page-message">Only school admins can manage access levels.</p>
      </Page>
    );
  }
  // A new level starts with every category of the school (active or not), nothing granted.
  const template: LevelLike = {
    name: "",
    description: "",
    isDslTeam: false,
    yearGroups: [],
    tutorGroups: [],
    grants: (data?.settingsCategories ?? []).map((category) => ({
      category,
      canViewPupils: false,
      canViewIncidents: false,
      canAddIncidents: false,
    })),
  };

  if (editing) {
    return (
      <Page title={editing.kind === "new" ? "Add access level" : `Edit ${editing.level.name}`}>
        <LevelForm
          levelId={editing.kind === "edit" ? editing.level.id : null}
          initial={
            editing.kind === "edit"
              ? levelForm(editing.level)
              : levelForm(template, true)
          }
          yearGroups={data.settingsYearGroups ?? []}
          tutorGroups={data.settingsTutorGroups ?? []}
          onDone={(message) => {
            setEditing(null);
            setStatus(message);
            reload();
          }}
          onCancel={() => setEditing(null)}
        />
      </Page>
    );
  }

  return (
    <Page title="Access levels">
      <p>
        An access level says what its key holders may do in each category: view pupils, view
        incidents, add incidents. It can be limited to some year groups or tutor groups.
      </p>
      <p role="status" className="sp-status">
        {status}
      </p>
      <button type="button" className="primary-button" onClick={() => setEditing({ kind: "new" })}>
        Add Access Level
      </button>
      <ul className="sp-cards">
        {levels.map((level) => (
          <LevelCard
            key={level.id}
            level={level}
            onEdit={() => {
              setStatus("");
              setEditing({ kind: "edit", level });
            }}
            onDeleted={() => {
              setStatus(`${level.name} was deleted.`);
              reload();
            }}
          />
        ))}
      </ul>
    </Page>
  );
}

function LevelCard({
  level,
  onEdit,
  onDeleted,
}: {
  level: Level;
  onEdit: () => void;
  onDeleted: () => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [{ fetching }, deleteLevel] = useMutation(DeleteLevel);
  const viewable = level.grants.filter((g) => g.canViewIncidents).map((g) => g.category.name);
  const limits = [...level.yearGroups, ...level.tutorGroups].map((g) => g.name);

  const remove = async () => {
    const result = await deleteLevel({ id: level.id });
    const payload = result.data?.deleteAccessLevel;
    if (!payload) {
      setProblem("The level could not be deleted. Try again.");
      return;
    }
    if (payload.errors.length > 0) {
      setProblem(payload.errors.map((e) => e.message).join(" "));
      setConfirming(false);
      return;
    }
    onDeleted();
  };

  return (
    <li className="sp-card">
      <h2 className="sp-card-title">
        {level.name}
        {level.isDslTeam && <span className="sp-badge">DSL team</span>}
      </h2>
      {level.description && <p>{level.description}</p>}
      <dl className="sp-facts">
        <dt>Staff</dt>
        <dd>{level.staffCount}</dd>
        <dt>Views incidents in</dt>
        <dd>{viewable.length > 0 ? viewable.join(", ") : "No categories"}</dd>
        <dt>Pupils</dt>
        <dd>{limits.length > 0 ? `Only ${limits.join(", ")}` : "All pupils"}</dd>
      </dl>
      <div className="sp-actions">
        <button type="button" className="sp-button" onClick={onEdit}>
          Edit<span className="visually-hidden"> {level.name}</span>
        </button>
        {level.staffCount === 0 && !confirming && (
          <button type="button" className="sp-button" onClick={() => setConfirming(true)}>
            Delete<span className="visually-hidden"> {level.name}</span>
          </button>
        )}
      </div>
      {confirming && (
        <div className="sp-confirm" role="group" aria-label={`Delete ${level.name}?`}>
          <p>Delete {level.name}? This cannot be undone.</p>
          <button type="button" className="sp-button sp-danger" disabled={fetching} onClick={remove}>
            Yes, delete {level.name}
          </button>
          <button type="button" className="sp-button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </div>
      )}
      {problem && (
        <p className="field-error" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}

function LevelForm({
  levelId,
  initial,
  yearGroups,
  tutorGroups,
  onDone,
  onCancel,
}: {
  levelId: string | null;
  initial: AccessLevelForm;
  yearGroups: readonly { id: string; name: string }[];
  tutorGroups: readonly { id: string; name: string }[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState(NO_ERRORS);
  const [{ fetching: creating }, create] = useMutation(CreateLevel);
  const [{ fetching: updating }, update] = useMutation(UpdateLevel);
  const withPassword = useWithPassword();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = validateLevel(form);
    if (Object.keys(problems).length > 0) {
      setErrors({ fields: problems, form: undefined });
      return;
    }
    const input = levelInput(form);
    const result = await withPassword(
      async () =>
        levelId
          ? (await update({ id: levelId, input })).data?.updateAccessLevel
          : (await create({ input })).data?.createAccessLevel,
      (payload) => payload?.errors,
    );
    if (!result) {
      setErrors({ fields: {}, form: "The access level could not be saved. Try again." });
      return;
    }
    if (result.errors.length > 0) {
      setErrors(errorsByField(payloadErrors(result.errors)));
      return;
    }
    onDone(`${input.name} was saved.`);
  };

  return (
    <form className="form sp-form" onSubmit={onSubmit} noValidate>
      <FormError message={errors.form} />
      <Field
        label="Name"
        name="name"
        required
        maxLength={80}
        value={form.name}
        onChange={(event) => setForm({ ...form, name: event.target.value })}
        error={errors.fields.name}
      />
      <TextAreaField
        label="Description"
        name="description"
        rows={2}
        maxLength={300}
        value={form.description}
        onChange={(event) => setForm({ ...form, description: event.target.value })}
        error={errors.fields.description}
      />
      <Checkbox
        label="DSL team"
        hint="Members see records in categories marked DSL team only."
        checked={form.isDslTeam}
        onChange={(isDslTeam) => setForm({ ...form, isDslTeam })}
        error={errors.fields.isDslTeam}
      />
      <div className="sp-table-wrap">
        <table className="sp-grants">
          <caption>What this level allows, category by category</caption>
          <thead>
            <tr>
              <th scope="col">Category</th>
              {GRANT_COLUMNS.map((column) => (
                <th scope="col" key={column.key}>
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {form.grants.map((row) => (
              <tr key={row.categoryId}>
                <th scope="row">
                  <span className="sp-swatch" style={{ background: row.colour }} aria-hidden />
                  {row.categoryName}
                  {!row.isActive && <span className="sp-muted"> (inactive)</span>}
                </th>
                {GRANT_COLUMNS.map((column) => {
                  const id = `grant-${row.categoryId}-${column.key}`;
                  return (
                    <td key={column.key}>
                      <input
                        id={id}
                        type="checkbox"
                        checked={row[column.key]}
                        onChange={(event) =>
                          setForm(withGrant(form, row.categoryId, column.key, event.target.checked))
                        }
                      />
                      <label htmlFor={id} className="visually-hidden">
                        {column.label}: {row.categoryName}
                      </label>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {errors.fields.grants && <p className="field-error">{errors.fields.grants}</p>}
      <div className="sp-actions">
        {GRANT_COLUMNS.map((column) => (
          <button
            key={column.key}
            type="button"
            className="sp-button sp-small"
            onClick={() => {
              const all = form.grants.every((row) => row[column.key]);
              setForm(withColumn(form, column.key, !all));
            }}
          >
            {form.grants.every((row) => row[column.key]) ? "Clear" : "Tick"} all “{column.label}”
          </button>
        ))}
      </div>
      <CheckboxList
        legend="Limit to year groups"
        hint="Leave all unticked for every year group."
        options={yearGroups}
        selected={form.yearGroupIds}
        onChange={(id, on) => setForm({ ...form, yearGroupIds: withId(form.yearGroupIds, id, on) })}
        error={errors.fields.yearGroupIds}
      />
      <CheckboxList
        legend="Limit to tutor groups"
        hint="Leave all unticked for every tutor group."
        options={tutorGroups}
        selected={form.tutorGroupIds}
        onChange={(id, on) =>
          setForm({ ...form, tutorGroupIds: withId(form.tutorGroupIds, id, on) })
        }
        error={errors.fields.tutorGroupIds}
      />
      <div className="sp-actions">
        <button type="submit" className="primary-button" disabled={creating || updating}>
          {levelId ? "Save Access Level" : "Add Access Level"}
        </button>
        <button type="button" className="sp-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
