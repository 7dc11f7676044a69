import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { App } from "../../App";
import { CURRENT_USER, TEST_CONFIG, fakeServer } from "../../test-support/fakeServer";

const ADMIN = { ...CURRENT_USER, fullName: "Sam Okafor", isSchoolAdmin: true };

const POLICY = {
  id: "doc-1",
  title: "Safeguarding policy",
  createdAt: "2026-11-02T09:05:00Z",
  file: {
    name: "policy.pdf",
    size: 12_400,
    contentType: "application/pdf",
    downloadUrl: "/attachments/QXR0YWNobWVudDox/download",
  },
};

function library(withLevels: boolean) {
  return {
    library: [
      {
        id: "folder-1",
        name: "Policies",
        accessLevels: withLevels ? [] : null,
        documents: [POLICY],
      },
      {
        id: "folder-2",
        name: "DSL notes",
        accessLevels: withLevels ? [{ id: "level-1", name: "DSL" }] : null,
        documents: [],
      },
    ],
    libraryAccessLevels: withLevels ? [{ id: "level-1", name: "DSL" }] : [],
  };
}

beforeEach(() => {
  document.cookie = "haven-csrf=token-from-cookie";
  window.history.pushState({}, "", "/library");
});

afterEach(() => {
  document.cookie = "haven-csrf=; expires=Thu, 01 Jan 1970 00:00:00 GMT";
});

describe("Library", () => {
  it("lists staff the folders and documents they may download, and nothing to manage", async () => {
    const server = fakeServer({ Library: () => library(false) });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);

    const link = await screen.findByRole("link", { name: "Safeguarding policy" });
    expect(link).toHaveAttribute("href", POLICY.file.downloadUrl);
    expect(link).toHaveAccessibleDescription("PDF, 12 KB, added Mon 02/11/2026 09:05");
    expect(screen.getByRole("heading", { level: 2, name: "DSL notes" })).toBeVisible();
    expect(screen.getByText("This folder is empty.")).toBeVisible();
    expect(screen.queryByRole("button", { name: /Rename|Delete|Move/ })).toBeNull();
    expect(screen.queryByRole("heading", { name: "Create a folder" })).toBeNull();
    expect(screen.queryByText(/Visible to/)).toBeNull();
  });

  it("uploads a file as a multipart request with the CSRF token, then files it", async () => {
    const server = fakeServer(
      {
        Library: () => library(true),
        UploadLibraryFile: () => ({ uploadAttachment: { attachment: { id: "att-9" }, errors: [] } }),
        AddLibraryDocument: () => ({
          addLibraryDocument: { document: { id: "doc-9", title: "Code of conduct" }, errors: [] },
        }),
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await screen.findByRole("heading", { name: "Upload a document" });

    const file = new File(["%PDF-1.4"], "Code_of_conduct.pdf", { type: "application/pdf" });
    await userEvent.upload(screen.getByLabelText("File"), file);
    expect(screen.getByLabelText("Title")).toHaveValue("Code of conduct");
    await userEvent.selectOptions(screen.getByLabelText("Folder"), "DSL notes");
    await userEvent.click(screen.getByRole("button", { name: "Upload Document" }));

    expect(await screen.findByText("“Code of conduct” uploaded to DSL notes.")).toBeVisible();
    const upload = server.sent.find((sent) => sent.operationName === "UploadLibraryFile");
    expect(upload?.headers["x-csrftoken"]).toBe("token-from-cookie");
    expect(Object.values(upload?.files ?? {})[0]?.name).toBe("Code_of_conduct.pdf");
    const added = server.sent.find((sent) => sent.operationName === "AddLibraryDocument");
    expect(added?.variables).toEqual({
      folderId: "folder-2",
      title: "Code of conduct",
      attachmentId: "att-9",
    });
  });

  it("asks for a file and a title before uploading anything", async () => {
    const server = fakeServer({ Library: () => library(true) }, ADMIN);
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await userEvent.click(await screen.findByRole("button", { name: "Upload Document" }));
    expect(screen.getByLabelText("File")).toHaveAccessibleDescription(/Choose a file to upload\./);
    expect(screen.getByLabelText("Title")).toHaveAccessibleDescription(
      /Give the document a title\./,
    );
    expect(server.sent.some((sent) => sent.operationName === "UploadLibraryFile")).toBe(false);
  });

  it("shows a refused upload next to the file and keeps the title typed", async () => {
    const server = fakeServer(
      {
        Library: () => library(true),
        UploadLibraryFile: () => ({
          uploadAttachment: {
            attachment: null,
            errors: [{ field: "file", code: "type", message: "Haven does not accept this kind of file." }],
          },
        }),
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await screen.findByRole("heading", { name: "Upload a document" });
    await userEvent.upload(screen.getByLabelText("File"), new File(["MZ"], "setup.exe"));
    await userEvent.clear(screen.getByLabelText("Title"));
    await userEvent.type(screen.getByLabelText("Title"), "Installer");
    await userEvent.click(screen.getByRole("button", { name: "Upload Document" }));

    expect(await screen.findByText("Haven does not accept this kind of file.")).toBeVisible();
    expect(screen.getByLabelText("File")).toHaveAccessibleDescription(
      /Haven does not accept this kind of file\./,
    );
    expect(screen.getByLabelText("Title")).toHaveValue("Installer");
    expect(server.sent.some((sent) => sent.operationName === "AddLibraryDocument")).toBe(false);
  });

  it("renames a document, and deletes one only after confirmation", async () => {
    const server = fakeServer(
      {
        Library: () => library(true),
        RenameLibraryDocument: ({ title }) => ({
          renameLibraryDocument: { document: { id: "doc-1", title }, errors: [] },
        }),
        DeleteLibraryDocument: () => ({ deleteLibraryDocument: { errors: [] } }),
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);

    await userEvent.click(await screen.findByRole("button", { name: "Rename Safeguarding policy" }));
    const title = screen.getByLabelText("Document title");
    expect(title).toHaveFocus();
    await userEvent.clear(title);
    await userEvent.type(title, "Safeguarding policy 2026{Enter}");
    expect(await screen.findByText("Document renamed to “Safeguarding policy 2026”.")).toBeVisible();
    expect(screen.getByRole("button", { name: "Rename Safeguarding policy" })).toHaveFocus();

    await userEvent.click(screen.getByRole("button", { name: "Delete Safeguarding policy" }));
    const confirm = screen.getByRole("group", { name: /Delete “Safeguarding policy”\?/ });
    // Focus starts on Cancel, so a stray Enter does not delete.
    expect(within(confirm).getByRole("button", { name: "Cancel" })).toHaveFocus();
    expect(server.sent.some((sent) => sent.operationName === "DeleteLibraryDocument")).toBe(false);
    await userEvent.click(within(confirm).getByRole("button", { name: "Delete Document" }));
    expect(await screen.findByText("“Safeguarding policy” deleted.")).toBeVisible();
    expect(server.sent.find((s) => s.operationName === "DeleteLibraryDocument")?.variables).toEqual({
      documentId: "doc-1",
    });
  });

  it("creates a folder for chosen access levels, and asks for a level if none is ticked", async () => {
    const server = fakeServer(
      {
        Library: () => library(true),
        CreateLibraryFolder: ({ name }) => ({
          createLibraryFolder: { folder: { id: "folder-3", name }, errors: [] },
        }),
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await userEvent.type(await screen.findByLabelText("Folder name"), "Leads only");
    await userEvent.click(screen.getByLabelText("Only staff on these access levels"));
    await userEvent.click(screen.getByRole("button", { name: "Create Folder" }));
    expect(screen.getByText("Choose at least one access level, or All staff.")).toBeVisible();
    expect(server.sent.some((sent) => sent.operationName === "CreateLibraryFolder")).toBe(false);

    await userEvent.click(screen.getByRole("checkbox", { name: "DSL" }));
    await userEvent.click(screen.getByRole("button", { name: "Create Folder" }));
    expect(await screen.findByText("Folder “Leads only” created.")).toBeVisible();
    expect(server.sent.find((s) => s.operationName === "CreateLibraryFolder")?.variables).toEqual({
      name: "Leads only",
      accessLevelIds: ["level-1"],
    });
    expect(screen.getByText("Visible to: DSL")).toBeVisible();
  });

  it("keeps what was typed when Haven cannot be reached", async () => {
    const server = fakeServer(
      {
        Library: () => library(true),
        CreateLibraryFolder: () => new TypeError("Failed to fetch"),
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await userEvent.type(await screen.findByLabelText("Folder name"), "Forms");
    await userEvent.click(screen.getByRole("button", { name: "Create Folder" }));
    expect(await screen.findByText(/Haven could not be reached/)).toBeVisible();
    expect(screen.getByLabelText("Folder name")).toHaveValue("Forms");
  });

  it("lets an admin choose who can see a folder, by keyboard, and says so next to the choice", async () => {
    let levels: { id: string; name: string }[] = [];
    const server = fakeServer(
      {
        Library: () => {
          const [policies, dslNotes] = library(true).library;
          return {
            library: [{ ...policies, accessLevels: levels }, dslNotes],
            libraryAccessLevels: [
              { id: "level-1", name: "DSL" },
              { id: "level-2", name: "Pastoral" },
            ],
          };
        },
        SetLibraryFolderAccess: ({ accessLevelIds }) => {
          levels = (accessLevelIds as string[]).map((id) => ({
            id,
            name: id === "level-1" ? "DSL" : "Pastoral",
          }));
          return {
            setLibraryFolderAccess: { folder: { id: "folder-1", accessLevels: levels }, errors: [] },
          };
        },
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    const policies = within(await screen.findByRole("region", { name: "Policies" }));
    const open = policies.getByRole("button", { name: "Who can see folder Policies" });
    expect(open).toHaveAttribute("aria-expanded", "false");
    open.focus();
    await userEvent.keyboard("{Enter}");
    const choice = policies.getByRole("group", { name: "Who can see this folder" });
    const allStaff = within(choice).getByRole("radio", { name: "All staff" });
    expect(allStaff).toBeChecked();
    expect(allStaff).toHaveFocus();

    await userEvent.keyboard("{ArrowDown}");
    expect(within(choice).getByRole("radio", { name: "Only staff on these access levels" })).toBeChecked();
    await userEvent.tab();
    expect(within(choice).getByRole("checkbox", { name: "DSL" })).toHaveFocus();
    await userEvent.keyboard(" ");
    await userEvent.tab();
    await userEvent.tab();
    expect(policies.getByRole("button", { name: "Save" })).toHaveFocus();
    await userEvent.keyboard("{Enter}");

    expect(
      await policies.findByText(
        "Saved. Only staff on these access levels can see this folder: DSL.",
      ),
    ).toBeVisible();
    expect(server.sent.find((s) => s.operationName === "SetLibraryFolderAccess")?.variables).toEqual({
      folderId: "folder-1",
      accessLevelIds: ["level-1"],
    });
    expect(await policies.findByText("Visible to: DSL")).toBeVisible();
    expect(within(choice).getByRole("checkbox", { name: "DSL" })).toBeChecked();
  });

  it("shows a refused access change next to the choice and keeps what was ticked", async () => {
    const server = fakeServer(
      {
        Library: () => library(true),
        SetLibraryFolderAccess: () => ({
          setLibraryFolderAccess: {
            folder: null,
            errors: [
              {
                field: "accessLevelIds",
                code: "not_found",
                message: "An access level was not found.",
              },
            ],
          },
        }),
      },
      ADMIN,
    );
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await userEvent.click(await screen.findByRole("button", { name: "Who can see folder Policies" }));
    const choice = screen.getByRole("group", { name: "Who can see this folder" });
    await userEvent.click(within(choice).getByRole("radio", { name: "Only staff on these access levels" }));
    // Asking for no levels at all is caught before anything is sent.
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(choice).toHaveAccessibleDescription("Choose at least one access level, or All staff.");
    expect(server.sent.some((s) => s.operationName === "SetLibraryFolderAccess")).toBe(false);

    await userEvent.click(within(choice).getByRole("checkbox", { name: "DSL" }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));

    await within(choice).findByText("An access level was not found.");
    expect(choice).toHaveAccessibleDescription("An access level was not found.");
    expect(within(choice).getByRole("checkbox", { name: "DSL" })).toBeChecked();
    expect(screen.queryByText(/^Saved\./)).toBeNull();
  });

  it("does not offer staff a choice of who can see a folder", async () => {
    const server = fakeServer({ Library: () => library(false) });
    render(<App config={TEST_CONFIG} fetchImpl={server.fetch} />);
    await screen.findByRole("link", { name: "Safeguarding policy" });
    expect(screen.queryByRole("button", { name: /Who can see/ })).toBeNull();
  });
});
