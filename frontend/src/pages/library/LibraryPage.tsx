import { type FormEvent, useEffect, useId, useRef, useState } from "react";
import { useClient, useQuery } from "urql";

import type { FieldError } from "../../api/outcome";
import type { Outcome } from "../../api/outcome";
import { useCurrentUser } from "../../components/CurrentUser";
import { Field } from "../../components/Field";
import { FormProblem } from "../../components/FormProblem";
import { fieldMessages } from "../../api/outcome";
import { Page } from "../../components/Page";
import { SelectField } from "../../components/SelectField";
import type { LibraryQuery as LibraryResult } from "../../gql/graphql";
import { formatUkDateTime } from "../../lib/dates";
import { fileKind, formatFileSize, titleFromFileName } from "./files";
import {
  LibraryQuery,
  addDocument,
  createFolder,
  deleteDocument,
  deleteFolder,
  moveDocument,
  renameDocument,
  renameFolder,
  setFolderAccess,
} from "./libraryApi";
import "./LibraryPage.css";

type Folder = LibraryResult["library"][number];
type Document = Folder["documents"][number];
type AccessLevel = LibraryResult["libraryAccessLevels"][number];

/** What an admin has open: at most one inline form at a time. */
type Editing =
  | { kind: "rename-folder" | "folder-access" | "delete-folder"; id: string }
  | { kind: "rename-document" | "move-document" | "delete-document"; id: string }
  | null;

/** Runs a change, keeping its errors; `onDone` runs only on success. */
function useChange() {
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const run = async (change: () => Promise<Outcome<null>>, onDone: () => void): Promise<void> => {
    setBusy(true);
    const outcome = await change();
    setBusy(false);
    if (outcome.ok) {
      setErrors([]);
      onDone();
    } else {
      setErrors(outcome.errors);
    }
  };
  return { busy, errors, run };
}

export function LibraryPage() {
  const me = useCurrentUser();
  const [{ data, fetching, error }, refetch] = useQuery({
    query: LibraryQuery,
    requestPolicy: "cache-and-network",
  });
  const [status, setStatus] = useState("");
  const [editing, setEditing] = useState<Editing>(null);
  const admin = me.isSchoolAdmin;
  // When an inline form closes, focus goes back to the button that opened it (if it is
  // still there), so keyboard users carry on from where they were.
  const opener = useRef<HTMLElement | null>(null);
  useEffect(() => {
    if (editing === null && opener.current?.isConnected) opener.current.focus();
    if (editing === null) opener.current = null;
  }, [editing]);

  const changed = (message: string): void => {
    setStatus(message);
    setEditing(null);
    refetch({ requestPolicy: "network-only" });
  };

  const folders = data?.library ?? [];
  return (
    <Page title="Library">
      <p role="status" className={status ? "library-status" : "visually-hidden"}>
        {status}
      </p>
      {fetching && !data && (
        <p className="loading" role="status">
          Loading…
        </p>
      )}
      {error && !data && (
        <div className="form-error" role="alert">
          <p>The library could not be loaded. Check your connection, then try again.</p>
          <button
            type="button"
            className="secondary-button"
            onClick={() => refetch({ requestPolicy: "network-only" })}
          >
            Try again
          </button>
        </div>
      )}
      {data && folders.length === 0 && (
        <p className="library-empty">There are no documents in the library yet.</p>
      )}
      {folders.map((folder) => (
        <FolderSection
          key={folder.id}
          folder={folder}
          folders={folders}
          levels={data?.libraryAccessLevels ?? []}
          admin={admin}
          editing={editing}
          setEditing={(next) => {
            setStatus("");
            if (next !== null && document.activeElement instanceof HTMLElement) {
              opener.current = document.activeElement;
            }
            setEditing(next);
          }}
          changed={changed}
          refresh={() => refetch({ requestPolicy: "network-only" })}
        />
      ))}
      {admin && data && (
        <div className="library-admin">
          <UploadDocumentForm folders={folders} changed={changed} />
          <CreateFolderForm levels={data.libraryAccessLevels} changed={changed} />
        </div>
      )}
    </Page>
  );
}

function visibleTo(folder: Folder): string {
  const levels = folder.accessLevels ?? [];
  if (levels.length === 0) return "Visible to all staff";
  return `Visible to: ${levels.map((level) => level.name).join(", ")}`;
}

function FolderSection({
  folder,
  folders,
  levels,
  admin,
  editing,
  setEditing,
  changed,
  refresh,
}: {
  folder: Folder;
  folders: readonly Folder[];
  levels: readonly AccessLevel[];
  admin: boolean;
  editing: Editing;
  setEditing: (next: Editing) => void;
  changed: (message: string) => void;
  refresh: () => void;
}) {
  const headingId = useId();
  const client = useClient();
  const renaming = editing?.kind === "rename-folder" && editing.id === folder.id;
  const choosingAccess = editing?.kind === "folder-access" && editing.id === folder.id;
  const deleting = editing?.kind === "delete-folder" && editing.id === folder.id;
  return (
    <section className="library-folder" aria-labelledby={headingId}>
      <div className="library-folder-head">
        <h2 id={headingId}>{folder.name}</h2>
        {admin && (
          <div className="library-actions">
            <button
              type="button"
              aria-label={`Rename folder ${folder.name}`}
              className="secondary-button"
              aria-expanded={renaming}
              onClick={() => setEditing(renaming ? null : { kind: "rename-folder", id: folder.id })}
            >
              Rename
            </button>
            <button
              type="button"
              aria-label={`Who can see folder ${folder.name}`}
              className="secondary-button"
              aria-expanded={choosingAccess}
              onClick={() =>
                setEditing(choosingAccess ? null : { kind: "folder-access", id: folder.id })
              }
            >
              Who can see
            </button>
            <button
              type="button"
              aria-label={`Delete folder ${folder.name}`}
              className="secondary-button danger-button"
              aria-expanded={deleting}
              onClick={() => setEditing(deleting ? null : { kind: "delete-folder", id: folder.id })}
            >
              Delete
            </button>
          </div>
        )}
      </div>
      {admin && <p className="library-visibility">{visibleTo(folder)}</p>}
      {renaming && (
        <RenameForm
          label="Folder name"
          field="name"
          initial={folder.name}
          submitLabel="Rename Folder"
          onCancel={() => setEditing(null)}
          save={(name) => renameFolder(client, folder.id, name)}
          onDone={(name) => changed(`Folder renamed to “${name}”.`)}
        />
      )}
      {choosingAccess && (
        <FolderAccessForm
          levels={levels}
          initial={(folder.accessLevels ?? []).map((level) => level.id)}
          onCancel={() => setEditing(null)}
          save={(accessLevelIds) => setFolderAccess(client, folder.id, accessLevelIds)}
          onSaved={refresh}
        />
      )}
      {deleting && (
        <ConfirmDelete
          question={
            folder.documents.length > 0
              ? `“${folder.name}” still has ${folder.documents.length} document(s). Move or delete them before deleting the folder.`
              : `Delete the folder “${folder.name}”? This cannot be undone.`
          }
          confirmLabel="Delete Folder"
          canConfirm={folder.documents.length === 0}
          onCancel={() => setEditing(null)}
          remove={() => deleteFolder(client, folder.id)}
          onDone={() => changed(`Folder “${folder.name}” deleted.`)}
        />
      )}
      {folder.documents.length === 0 ? (
        <p className="library-empty">This folder is empty.</p>
      ) : (
        <ul className="library-documents">
          {folder.documents.map((document) => (
            <DocumentRow
              key={document.id}
              document={document}
              folder={folder}
              folders={folders}
              admin={admin}
              editing={editing}
              setEditing={setEditing}
              changed={changed}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function DocumentRow({
  document,
  folder,
  folders,
  admin,
  editing,
  setEditing,
  changed,
}: {
  document: Document;
  folder: Folder;
  folders: readonly Folder[];
  admin: boolean;
  editing: Editing;
  setEditing: (next: Editing) => void;
  changed: (message: string) => void;
}) {
  const client = useClient();
  const metaId = useId();
  const open = editing?.id === document.id ? editing.kind : null;
  const toggle = (kind: "rename-document" | "move-document" | "delete-document") =>
    setEditing(open === kind ? null : { kind, id: document.id });
  const otherFolders = folders.filter((other) => other.id !== folder.id);
  return (
    <li className="library-document">
      <div className="library-document-main">
        <a className="library-download" href={document.file.downloadUrl} aria-describedby={metaId}>
          {document.title}
        </a>
        <span id={metaId} className="library-meta">
          {fileKind(document.file.contentType)}, {formatFileSize(document.file.size)}, added{" "}
          {formatUkDateTime(document.createdAt)}
        </span>
      </div>
      {admin && (
        <div className="library-actions">
          <button
            type="button"
            aria-label={`Rename ${document.title}`}
            className="secondary-button"
            aria-expanded={open === "rename-document"}
            onClick={() => toggle("rename-document")}
          >
            Rename
          </button>
          {otherFolders.length > 0 && (
            <button
              type="button"
              aria-label={`Move ${document.title}`}
              className="secondary-button"
              aria-expanded={open === "move-document"}
              onClick={() => toggle("move-document")}
            >
              Move
            </button>
          )}
          <button
            type="button"
            aria-label={`Delete ${document.title}`}
            className="secondary-button danger-button"
            aria-expanded={open === "delete-document"}
            onClick={() => toggle("delete-document")}
          >
            Delete
          </button>
        </div>
      )}
      {open === "rename-document" && (
        <RenameForm
          label="Document title"
          field="title"
          initial={document.title}
          submitLabel="Rename Document"
          onCancel={() => setEditing(null)}
          save={(title) => renameDocument(client, document.id, title)}
          onDone={(title) => changed(`Document renamed to “${title}”.`)}
        />
      )}
      {open === "move-document" && (
        <MoveForm
          folders={otherFolders}
          onCancel={() => setEditing(null)}
          save={(folderId) => moveDocument(client, document.id, folderId)}
          onDone={(folderName) => changed(`“${document.title}” moved to ${folderName}.`)}
        />
      )}
      {open === "delete-document" && (
        <ConfirmDelete
          question={`Delete “${document.title}”? Staff will no longer be able to download it. This cannot be undone.`}
          confirmLabel="Delete Document"
          canConfirm
          onCancel={() => setEditing(null)}
          remove={() => deleteDocument(client, document.id)}
          onDone={() => changed(`“${document.title}” deleted.`)}
        />
      )}
    </li>
  );
}

function RenameForm({
  label,
  field,
  initial,
  submitLabel,
  onCancel,
  save,
  onDone,
}: {
  label: string;
  field: string;
  initial: string;
  submitLabel: string;
  onCancel: () => void;
  save: (value: string) => Promise<Outcome<null>>;
  onDone: (value: string) => void;
}) {
  const [value, setValue] = useState(initial);
  const { busy, errors, run } = useChange();
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    void run(
      () => save(value),
      () => onDone(value.trim()),
    );
  };
  return (
    <form className="form library-inline-form" onSubmit={onSubmit} noValidate>
      <FormProblem errors={errors} shownFields={[field]} />
      <Field
        label={label}
        name={field}
        required
        maxLength={field === "name" ? 120 : 200}
        autoFocus
        value={value}
        onChange={(event) => setValue(event.target.value)}
        error={fieldMessages(errors)[field]}
      />
      <div className="button-row">
        <button type="submit" className="primary-button" disabled={busy}>
          {submitLabel}
        </button>
        <button type="button" className="secondary-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/**
 * "Who can see this folder": all staff, or only staff on the ticked access levels. It stays
 * open after saving, with the result said next to it, so the choice can be checked.
 */
function FolderAccessForm({
  levels,
  initial,
  onCancel,
  save,
  onSaved,
}: {
  levels: readonly AccessLevel[];
  initial: readonly string[];
  onCancel: () => void;
  save: (accessLevelIds: string[]) => Promise<Outcome<null>>;
  onSaved: () => void;
}) {
  const [restricted, setRestricted] = useState(initial.length > 0);
  const [chosen, setChosen] = useState<string[]>([...initial]);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [saved, setSaved] = useState("");
  const { busy, errors, run } = useChange();
  const fields = { ...fieldMessages(errors), ...localErrors };
  const radioName = useId();
  const errorId = useId();
  const edited = (): void => {
    setSaved("");
    setLocalErrors({});
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setSaved("");
    if (restricted && chosen.length === 0) {
      setLocalErrors({ accessLevelIds: "Choose at least one access level, or All staff." });
      return;
    }
    setLocalErrors({});
    const ids = restricted ? chosen : [];
    const names = levels.filter((level) => ids.includes(level.id)).map((level) => level.name);
    void run(
      () => save(ids),
      () => {
        setSaved(
          names.length === 0
            ? "Saved. All staff can see this folder."
            : `Saved. Only staff on these access levels can see this folder: ${names.join(", ")}.`,
        );
        onSaved();
      },
    );
  };

  return (
    <form className="form library-inline-form" onSubmit={onSubmit} noValidate>
      <FormProblem errors={errors} shownFields={["accessLevelIds"]} />
      <fieldset
        className={fields.accessLevelIds ? "choice-group field-invalid" : "choice-group"}
        aria-describedby={fields.accessLevelIds ? errorId : undefined}
      >
        <legend>Who can see this folder</legend>
        {fields.accessLevelIds && (
          <p id={errorId} className="field-error">
            {fields.accessLevelIds}
          </p>
        )}
        <label className="choice">
          <input
            type="radio"
            name={radioName}
            checked={!restricted}
            autoFocus={!restricted}
            onChange={() => {
              setRestricted(false);
              edited();
            }}
          />
          All staff
        </label>
        <label className="choice">
          <input
            type="radio"
            name={radioName}
            checked={restricted}
            autoFocus={restricted}
            disabled={levels.length === 0}
            onChange={() => {
              setRestricted(true);
              edited();
            }}
          />
          Only staff on these access levels
        </label>
        {restricted && (
          <div className="choice-nested">
            {levels.map((level) => (
              <label key={level.id} className="choice">
                <input
                  type="checkbox"
                  checked={chosen.includes(level.id)}
                  onChange={(event) => {
                    const checked = event.target.checked;
                    setChosen((current) =>
                      checked ? [...current, level.id] : current.filter((id) => id !== level.id),
                    );
                    edited();
                  }}
                />
                {level.name}
              </label>
            ))}
          </div>
        )}
      </fieldset>
      <p role="status" className={saved ? "library-status" : "visually-hidden"}>
        {saved}
      </p>
      <div className="button-row">
        <button type="submit" className="primary-button" disabled={busy}>
          Save
        </button>
        <button type="button" className="secondary-button" onClick={onCancel}>
          {saved ? "Close" : "Cancel"}
        </button>
      </div>
    </form>
  );
}

function MoveForm({
  folders,
  onCancel,
  save,
  onDone,
}: {
  folders: readonly Folder[];
  onCancel: () => void;
  save: (folderId: string) => Promise<Outcome<null>>;
  onDone: (folderName: string) => void;
}) {
  const [folderId, setFolderId] = useState(folders[0]?.id ?? "");
  const { busy, errors, run } = useChange();
  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const name = folders.find((folder) => folder.id === folderId)?.name ?? "";
    void run(
      () => save(folderId),
      () => onDone(name),
    );
  };
  return (
    <form className="form library-inline-form" onSubmit={onSubmit} noValidate>
      <FormProblem errors={errors} shownFields={["folderId"]} />
      <SelectField
        label="Move to folder"
        autoFocus
        value={folderId}
        onChange={(event) => setFolderId(event.target.value)}
        options={folders.map((folder) => ({ value: folder.id, label: folder.name }))}
        error={fieldMessages(errors).folderId}
      />
      <div className="button-row">
        <button type="submit" className="primary-button" disabled={busy}>
          Move Document
        </button>
        <button type="button" className="secondary-button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function ConfirmDelete({
  question,
  confirmLabel,
  canConfirm,
  onCancel,
  remove,
  onDone,
}: {
  question: string;
  confirmLabel: string;
  canConfirm: boolean;
  onCancel: () => void;
  remove: () => Promise<Outcome<null>>;
  onDone: () => void;
}) {
  const { busy, errors, run } = useChange();
  const questionId = useId();
  return (
    <div className="library-confirm" role="group" aria-labelledby={questionId}>
      <FormProblem errors={errors} />
      <p id={questionId}>{question}</p>
      <div className="button-row">
        {canConfirm && (
          <button
            type="button"
            className="primary-button danger-primary"
            disabled={busy}
            onClick={() => void run(remove, onDone)}
          >
            {confirmLabel}
          </button>
        )}
        <button
          type="button"
          className="secondary-button"
          // Focus lands here first, so an accidental Enter cancels rather than deletes.
          autoFocus
          onClick={onCancel}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}

function UploadDocumentForm({
  folders,
  changed,
}: {
  folders: readonly Folder[];
  changed: (message: string) => void;
}) {
  const client = useClient();
  const [file, setFile] = useState<File | null>(null);
  const [title, setTitle] = useState("");
  const [titleTouched, setTitleTouched] = useState(false);
  const [folderId, setFolderId] = useState("");
  const [fileKey, setFileKey] = useState(0);
  const { busy, errors, run } = useChange();
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const chosenFolder = folderId || folders[0]?.id || "";
  const fields = { ...fieldMessages(errors), ...localErrors };

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    // Checked here too, so a file is not uploaded only to be refused for want of a title.
    const missing: Record<string, string> = {};
    if (!file) missing.file = "Choose a file to upload.";
    if (!title.trim()) missing.title = "Give the document a title.";
    if (!file || Object.keys(missing).length > 0) {
      setLocalErrors(missing);
      return;
    }
    setLocalErrors({});
    const added = title.trim();
    void run(
      () => addDocument(client, chosenFolder, title, file),
      () => {
        setFile(null);
        setTitle("");
        setTitleTouched(false);
        setFileKey((key) => key + 1);
        const folderName = folders.find((folder) => folder.id === chosenFolder)?.name ?? "";
        changed(`“${added}” uploaded to ${folderName}.`);
      },
    );
  };

  return (
    <section className="library-panel" aria-labelledby="library-upload-heading">
      <h2 id="library-upload-heading">Upload a document</h2>
      {folders.length === 0 ? (
        <p>Create a folder first, then upload documents into it.</p>
      ) : (
        <form className="form" onSubmit={onSubmit} noValidate>
          <FormProblem
            errors={errors}
            shownFields={["file", "attachmentId", "title", "folderId"]}
          />
          <Field
            key={fileKey}
            label="File"
            hint="PDF, images, Office documents or plain text, up to 20 MB."
            type="file"
            name="file"
            required
            onChange={(event) => {
              const chosen = event.target.files?.[0] ?? null;
              setFile(chosen);
              setLocalErrors({});
              if (chosen && !titleTouched) setTitle(titleFromFileName(chosen.name));
            }}
            error={fields.file ?? fields.attachmentId}
          />
          <Field
            label="Title"
            hint="What staff see in the library."
            name="title"
            required
            maxLength={200}
            value={title}
            onChange={(event) => {
              setTitle(event.target.value);
              setTitleTouched(true);
            }}
            error={fields.title}
          />
          <SelectField
            label="Folder"
            value={chosenFolder}
            onChange={(event) => setFolderId(event.target.value)}
            options={folders.map((folder) => ({ value: folder.id, label: folder.name }))}
            error={fields.folderId}
          />
          <button type="submit" className="primary-button" disabled={busy}>
            {busy ? "Uploading…" : "Upload Document"}
          </button>
        </form>
      )}
    </section>
  );
}

function CreateFolderForm({
  levels,
  changed,
}: {
  levels: readonly AccessLevel[];
  changed: (message: string) => void;
}) {
  const client = useClient();
  const [name, setName] = useState("");
  const [restricted, setRestricted] = useState(false);
  const [chosen, setChosen] = useState<string[]>([]);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const { busy, errors, run } = useChange();
  const fields = { ...fieldMessages(errors), ...localErrors };
  const levelsErrorId = useId();

  const onSubmit = (event: FormEvent<HTMLFormElement>): void => {
    event.preventDefault();
    if (restricted && chosen.length === 0) {
      setLocalErrors({ accessLevelIds: "Choose at least one access level, or All staff." });
      return;
    }
    setLocalErrors({});
    const created = name.trim();
    void run(
      () => createFolder(client, name, restricted ? chosen : []),
      () => {
        setName("");
        setRestricted(false);
        setChosen([]);
        changed(`Folder “${created}” created.`);
      },
    );
  };

  return (
    <section className="library-panel" aria-labelledby="library-folder-heading">
      <h2 id="library-folder-heading">Create a folder</h2>
      <form className="form" onSubmit={onSubmit} noValidate>
        <FormProblem errors={errors} shownFields={["name", "accessLevelIds"]} />
        <Field
          label="Folder name"
          name="name"
          required
          maxLength={120}
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fields.name}
        />
        <fieldset
          className={fields.accessLevelIds ? "choice-group field-invalid" : "choice-group"}
          aria-describedby={fields.accessLevelIds ? levelsErrorId : undefined}
        >
          <legend>Who can see it</legend>
          {fields.accessLevelIds && (
            <p id={levelsErrorId} className="field-error">
              {fields.accessLevelIds}
            </p>
          )}
          <label className="choice">
            <input
              type="radio"
              name="visibility"
              checked={!restricted}
              onChange={() => setRestricted(false)}
            />
            All staff
          </label>
          <label className="choice">
            <input
              type="radio"
              name="visibility"
              checked={restricted}
              onChange={() => setRestricted(true)}
              disabled={levels.length === 0}
            />
            Only staff on these access levels
          </label>
          {restricted && (
            <div className="choice-nested">
              {levels.map((level) => (
                <label key={level.id} className="choice">
                  <input
                    type="checkbox"
                    checked={chosen.includes(level.id)}
                    onChange={(event) =>
                      setChosen((current) =>
                        event.target.checked
                          ? [...current, level.id]
                          : current.filter((id) => id !== level.id),
                      )
                    }
                  />
                  {level.name}
                </label>
              ))}
            </div>
          )}
        </fieldset>
        <button type="submit" className="primary-button" disabled={busy}>
          Create Folder
        </button>
      </form>
    </section>
  );
}
