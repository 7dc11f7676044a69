import { type FormEvent, useState } from "react";
import { useMutation, useQuery } from "urql";

import { Field, FormError } from "../../components/Field";
import { Page } from "../../components/Page";
import { graphql } from "../../gql";
import type { SettingsStaffListQuery } from "../../gql/graphql";
import { formatUkDateTime } from "../../lib/dates";
import { errorsByField } from "../../api/outcome";
import { withId } from "./accessLevelForm";
import { Checkbox, CheckboxList, SelectField } from "./controls";
import { useWithPassword } from "./reauthentication";
import {
  EMPTY_STAFF_FORM,
  type StaffForm,
  inviteInput,
  memberForm,
  payloadErrors,
  updateInput,
  validateStaff,
} from "./staffForm";
import "./settings-people.css";

const PAGE_SIZE = 100;

const StaffListQuery = graphql(`
  query SettingsStaffList($search: String!, $includeInactive: Boolean!, $first: Int, $after: String) {
    settingsStaff(search: $search, includeInactive: $includeInactive, first: $first, after: $after) {
      nodes {
        ...SettingsStaffMemberFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

graphql(`
  fragment SettingsStaffMemberFields on SettingsStaffMember {
    id
    email
    firstName
    lastName
    fullName
    jobTitle
    isActive
    isKeyHolder
    isSchoolAdmin
    accessLevel {
      id
      name
    }
    alertGroups {
      id
      name
    }
    hasPassword
    lastLogin
    misId
  }
`);

const ChoicesQuery = graphql(`
  query StaffFormChoices {
    settingsAccessLevels {
      id
      name
    }
    alertGroups {
      id
      name
    }
  }
`);

const InviteStaff = graphql(`
  mutation InviteStaff($input: InviteStaffInput!) {
    inviteStaff(input: $input) {
      staffMember {
        ...SettingsStaffMemberFields
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const UpdateStaff = graphql(`
  mutation UpdateStaff($id: ID!, $input: UpdateStaffInput!) {
    updateStaff(id: $id, input: $input) {
      staffMember {
        ...SettingsStaffMemberFields
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const DeactivateStaff = graphql(`
  mutation DeactivateStaff($id: ID!) {
    deactivateStaff(id: $id) {
      staffMember {
        ...SettingsStaffMemberFields
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const ReactivateStaff = graphql(`
  mutation ReactivateStaff($id: ID!) {
    reactivateStaff(id: $id) {
      staffMember {
        ...SettingsStaffMemberFields
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const ResendInvitation = graphql(`
  mutation ResendStaffInvitation($id: ID!) {
    resendStaffInvitation(id: $id) {
      staffMember {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

type Member = NonNullable<SettingsStaffListQuery["settingsStaff"]>["nodes"][number];
type Choice = { id: string; name: string };
type Editing = { kind: "invite" } | { kind: "edit"; member: Member } | null;

const NO_ERRORS = { fields: {} as Record<string, string>, form: undefined as string | undefined };

/** Settings → Staff: invite, change, deactivate and reactivate staff accounts. */
export function StaffSettings() {
  const [search, setSearch] = useState("");
  const [includeInactive, setIncludeInactive] = useState(false);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [editing, setEditing] = useState<Editing>(null);
  const [status, setStatus] = useState("");
  const [version, setVersion] = useState(0);
  const [{ data: choices }] = useQuery({ query: ChoicesQuery });

  if (choices && !choices.settingsAccessLevels) {
    return (
      <Page title="Staff">
        <p className="page-message">Only school admins can manage staff.</p>
      </Page>
    );
  }
  const levels: Choice[] = choices?.settingsAccessLevels ?? [];
  const groups: Choice[] = choices?.alertGroups ?? [];

  const done = (message: string) => {
    setEditing(null);
    setStatus(message);
    setCursors([null]);
    setVersion(version + 1);
  };

  if (editing) {
    const member = editing.kind === "edit" ? editing.member : null;
    return (
      <Page title={member ? `Edit ${member.fullName}` : "Invite Staff"}>
        <StaffFormView
          member={member}
          levels={levels}
          groups={groups}
          onDone={done}
          onCancel={() => setEditing(null)}
        />
        {member && <AccountControls member={member} onDone={done} />}
      </Page>
    );
  }

  return (
    <Page title="Staff">
      <p role="status" className="sp-status">
        {status}
      </p>
      <button
        type="button"
        className="primary-button"
        onClick={() => {
          setStatus("");
          setEditing({ kind: "invite" });
        }}
      >
        Invite Staff
      </button>
      <div role="search" className="sp-search">
        <Field
          label="Search staff"
          hint="Name, e-mail or job title."
          type="search"
          value={search}
          onChange={(event) => {
            setSearch(event.target.value);
            setCursors([null]);
          }}
        />
        <Checkbox
          label="Include deactivated staff"
          checked={includeInactive}
          onChange={(on) => {
            setIncludeInactive(on);
            setCursors([null]);
          }}
        />
      </div>
      <ul className="sp-cards" aria-label="Staff">
        {cursors.map((after, index) => (
          <StaffPage
            key={`${version}-${after ?? "first"}`}
            search={search}
            includeInactive={includeInactive}
            after={after}
            isLast={index === cursors.length - 1}
            onMore={(cursor) => setCursors([...cursors, cursor])}
            onEdit={(member) => {
              setStatus("");
              setEditing({ kind: "edit", member });
            }}
          />
        ))}
      </ul>
    </Page>
  );
}

function StaffPage({
  search,
  includeInactive,
  after,
  isLast,
  onMore,
  onEdit,
}: {
  search: string;
  includeInactive: boolean;
  after: string | null;
  isLast: boolean;
  onMore: (cursor: string) => void;
  onEdit: (member: Member) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: StaffListQuery,
    variables: { search: search.trim(), includeInactive, first: PAGE_SIZE, after },
    requestPolicy: "cache-and-network",
  });
  if (fetching && !data) {
    return (
      <li>
        <p className="loading" role="status">
          Loading…
        </p>
      </li>
    );
  }
  if (error && !data) {
    return (
      <li>
        <p className="page-message" role="alert">
          Staff could not be loaded. Check your connection, then try again.
        </p>
      </li>
    );
  }
  const page = data?.settingsStaff;
  if (!page) return null;
  if (page.nodes.length === 0 && after === null) {
    return <li className="page-message">No staff match your search.</li>;
  }
  return (
    <>
      {page.nodes.map((member) => (
        <li key={member.id} className={member.isActive ? "sp-card" : "sp-card sp-inactive"}>
          <h2 className="sp-card-title">
            {member.fullName}
            {!member.isActive && <span className="sp-badge sp-badge-grey">Deactivated</span>}
            {member.isActive && !member.hasPassword && (
              <span className="sp-badge sp-badge-grey">Invited</span>
            )}
            {member.isSchoolAdmin && <span className="sp-badge">Admin</span>}
            {member.isKeyHolder && <span className="sp-badge">Key access</span>}
          </h2>
          <dl className="sp-facts">
            <dt>E-mail</dt>
            <dd>{member.email}</dd>
            {member.jobTitle && (
              <>
                <dt>Job title</dt>
                <dd>{member.jobTitle}</dd>
              </>
            )}
            <dt>Access level</dt>
            <dd>{member.accessLevel?.name ?? "None"}</dd>
            <dt>Last signed in</dt>
            <dd>{member.lastLogin ? formatUkDateTime(member.lastLogin) : "Never"}</dd>
          </dl>
          <button type="button" className="sp-button" onClick={() => onEdit(member)}>
            Edit<span className="visually-hidden"> {member.fullName}</span>
          </button>
        </li>
      ))}
      {isLast && page.pageInfo.hasNextPage && page.pageInfo.endCursor && (
        <li>
          <button
            type="button"
            className="sp-button"
            onClick={() => onMore(page.pageInfo.endCursor ?? "")}
          >
            Show more staff
          </button>
        </li>
      )}
    </>
  );
}

function StaffFormView({
  member,
  levels,
  groups,
  onDone,
  onCancel,
}: {
  member: Member | null;
  levels: readonly Choice[];
  groups: readonly Choice[];
  onDone: (message: string) => void;
  onCancel: () => void;
}) {
  const initial: StaffForm = member ? memberForm(member) : EMPTY_STAFF_FORM;
  const [form, setForm] = useState(initial);
  const [errors, setErrors] = useState(NO_ERRORS);
  const [{ fetching: inviting }, invite] = useMutation(InviteStaff);
  const [{ fetching: updating }, update] = useMutation(UpdateStaff);
  const withPassword = useWithPassword();

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const problems = validateStaff(form);
    if (Object.keys(problems).length > 0) {
      setErrors({ fields: problems, form: undefined });
      return;
    }
    const result = await withPassword(
      async () =>
        member
          ? (await update({ id: member.id, input: updateInput(initial, form) })).data?.updateStaff
          : (await invite({ input: inviteInput(form) })).data?.inviteStaff,
      (payload) => payload?.errors,
    );
    if (!result) {
      setErrors({ fields: {}, form: "The changes could not be saved. Try again." });
      return;
    }
    if (result.errors.length > 0) {
      setErrors(errorsByField(payloadErrors(result.errors)));
      return;
    }
    const name = `${form.firstName.trim()} ${form.lastName.trim()}`;
    onDone(
      member
        ? `${name} was saved.`
        : `${name} was invited: an e-mail with a link to set their password is on its way.`,
    );
  };

  return (
    <form className="form sp-form" onSubmit={onSubmit} noValidate>
      <FormError message={errors.form} />
      <Field
        label="First name"
        name="firstName"
        autoComplete="off"
        required
        value={form.firstName}
        onChange={(event) => setForm({ ...form, firstName: event.target.value })}
        error={errors.fields.firstName}
      />
      <Field
        label="Last name"
        name="lastName"
        autoComplete="off"
        required
        value={form.lastName}
        onChange={(event) => setForm({ ...form, lastName: event.target.value })}
        error={errors.fields.lastName}
      />
      <Field
        label="E-mail"
        name="email"
        type="email"
        autoComplete="off"
        required
        value={form.email}
        onChange={(event) => setForm({ ...form, email: event.target.value })}
        error={errors.fields.email}
      />
      <Field
        label="Job title"
        name="jobTitle"
        autoComplete="off"
        value={form.jobTitle}
        onChange={(event) => setForm({ ...form, jobTitle: event.target.value })}
        error={errors.fields.jobTitle}
      />
      <SelectField
        label="Access level"
        name="accessLevelId"
        value={form.accessLevelId}
        onChange={(event) => setForm({ ...form, accessLevelId: event.target.value })}
        error={errors.fields.accessLevelId}
      >
        <option value="">None</option>
        {levels.map((level) => (
          <option key={level.id} value={level.id}>
            {level.name}
          </option>
        ))}
      </SelectField>
      <Checkbox
        label="Key access"
        hint="Sees records allowed by their access level; needs a second factor."
        checked={form.isKeyHolder}
        onChange={(isKeyHolder) => setForm({ ...form, isKeyHolder })}
        error={errors.fields.isKeyHolder}
      />
      <Checkbox
        label="School admin"
        hint="Manages staff, access levels and the school's settings."
        checked={form.isSchoolAdmin}
        onChange={(isSchoolAdmin) => setForm({ ...form, isSchoolAdmin })}
        error={errors.fields.isSchoolAdmin}
      />
      <CheckboxList
        legend="Alert groups"
        options={groups}
        selected={form.alertGroupIds}
        onChange={(id, on) =>
          setForm({ ...form, alertGroupIds: withId(form.alertGroupIds, id, on) })
        }
        error={errors.fields.alertGroupIds}
      />
      <div className="sp-actions">
        <button type="submit" className="primary-button" disabled={inviting || updating}>
          {member ? "Save Changes" : "Send Invitation"}
        </button>
        <button type="button" className="sp-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Deactivate / reactivate (with confirmation) and resend the invitation. */
function AccountControls({
  member,
  onDone,
}: {
  member: Member;
  onDone: (message: string) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<string>();
  const [sent, setSent] = useState("");
  const [{ fetching: deactivating }, deactivate] = useMutation(DeactivateStaff);
  const [{ fetching: reactivating }, reactivate] = useMutation(ReactivateStaff);
  const [{ fetching: resending }, resend] = useMutation(ResendInvitation);
  const withPassword = useWithPassword();

  const handle = (
    payload: { errors: readonly { message: string }[] } | null | undefined,
    message: string,
  ): void => {
    if (!payload) {
      setProblem("That did not work. Try again.");
      return;
    }
    if (payload.errors.length > 0) {
      setProblem(payload.errors.map((e) => e.message).join(" "));
      setConfirming(false);
      return;
    }
    onDone(message);
  };
  const onDeactivate = async () =>
    handle(
      (await deactivate({ id: member.id })).data?.deactivateStaff,
      `${member.fullName} was deactivated.`,
    );
  const onReactivate = async () =>
    handle(
      await withPassword(
        async () => (await reactivate({ id: member.id })).data?.reactivateStaff,
        (payload) => payload?.errors,
      ),
      `${member.fullName} was reactivated.`,
    );

  const onResend = async () => {
    const payload = (await resend({ id: member.id })).data?.resendStaffInvitation;
    if (!payload) {
      setProblem("The invitation could not be sent. Try again.");
    } else if (payload.errors.length > 0) {
      setProblem(payload.errors.map((e) => e.message).join(" "));
    } else {
      setProblem(undefined);
      setSent(`A new invitation is on its way to ${member.email}.`);
    }
  };

  return (
    <section className="sp-account" aria-labelledby="sp-account-heading">
      <h2 id="sp-account-heading">Account</h2>
      <p role="status" className="sp-status">
        {sent}
      </p>
      {member.isActive && !member.hasPassword && (
        <p>
          {member.firstName} has not set a password yet.{" "}
          <button type="button" className="sp-button" disabled={resending} onClick={onResend}>
            Resend Invitation
          </button>
        </p>
      )}
      {member.isActive ? (
        <>
          {!confirming && (
            <button
              type="button"
              className="sp-button sp-danger"
              aria-describedby={problem ? "sp-account-error" : undefined}
              onClick={() => {
                setProblem(undefined);
                setConfirming(true);
              }}
            >
              Deactivate {member.fullName}
            </button>
          )}
          {confirming && (
            <div className="sp-confirm" role="group" aria-label="Confirm deactivation">
              <p>
                Deactivate {member.fullName}? They are signed out at once and cannot sign in.
                Their records stay, under their name.
              </p>
              <button
                type="button"
                className="sp-button sp-danger"
                disabled={deactivating}
                onClick={onDeactivate}
              >
                Yes, deactivate
              </button>
              <button type="button" className="sp-button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </div>
          )}
        </>
      ) : (
        <button
          type="button"
          className="sp-button"
          disabled={reactivating}
          onClick={onReactivate}
        >
          Reactivate {member.fullName}
        </button>
      )}
      {problem && (
        <p id="sp-account-error" className="field-error" role="alert">
          {problem}
        </p>
      )}
    </section>
  );
}
