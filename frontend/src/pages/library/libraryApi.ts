/** The library's GraphQL operations, each answering with an Outcome (see api/outcome.ts). */
import type { Client } from "urql";

import { type Outcome, outcomeOf } from "../../api/outcome";
import { graphql } from "../../gql";

export const LibraryQuery = graphql(`
  query Library {
    library {
      id
      name
      accessLevels {
        id
        name
      }
      documents {
        id
        title
        createdAt
        file {
          name
          size
          contentType
          downloadUrl
        }
      }
    }
    libraryAccessLevels {
      id
      name
    }
  }
`);

const CreateFolderMutation = graphql(`
  mutation CreateLibraryFolder($name: String!, $accessLevelIds: [ID!]!) {
    createLibraryFolder(name: $name, accessLevelIds: $accessLevelIds) {
      folder {
        id
        name
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const RenameFolderMutation = graphql(`
  mutation RenameLibraryFolder($folderId: ID!, $name: String!) {
    renameLibraryFolder(folderId: $folderId, name: $name) {
      folder {
        id
        name
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const SetFolderAccessMutation = graphql(`
  mutation SetLibraryFolderAccess($folderId: ID!, $accessLevelIds: [ID!]!) {
    setLibraryFolderAccess(folderId: $folderId, accessLevelIds: $accessLevelIds) {
      folder {
        id
        accessLevels {
          id
          name
        }
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const DeleteFolderMutation = graphql(`
  mutation DeleteLibraryFolder($folderId: ID!) {
    deleteLibraryFolder(folderId: $folderId) {
      errors {
        ...ErrorFields
      }
    }
  }
`);

const UploadMutation = graphql(`
  mutation UploadLibraryFile($file: Upload!) {
    uploadAttachment(file: $file) {
      attachment {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const AddDocumentMutation = graphql(`
  mutation AddLibraryDocument($folderId: ID!, $title: String!, $attachmentId: ID!) {
    addLibraryDocument(folderId: $folderId, title: $title, attachmentId: $attachmentId) {
      document {
        id
        title
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const RenameDocumentMutation = graphql(`
  mutation RenameLibraryDocument($documentId: ID!, $title: String!) {
    renameLibraryDocument(documentId: $documentId, title: $title) {
      document {
        id
        title
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const MoveDocumentMutation = graphql(`
  mutation MoveLibraryDocument($documentId: ID!, $folderId: ID!) {
    moveLibraryDocument(documentId: $documentId, folderId: $folderId) {
      document {
        id
      }
      errors {
        ...ErrorFields
      }
    }
  }
`);

const DeleteDocumentMutation = graphql(`
  mutation DeleteLibraryDocument($documentId: ID!) {
    deleteLibraryDocument(documentId: $documentId) {
      errors {
        ...ErrorFields
      }
    }
  }
`);

export async function createFolder(
  client: Client,
  name: string,
  accessLevelIds: string[],
): Promise<Outcome<null>> {
  const result = await client.mutation(CreateFolderMutation, { name, accessLevelIds }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.createLibraryFolder.errors, value: null }));
}

export async function renameFolder(
  client: Client,
  folderId: string,
  name: string,
): Promise<Outcome<null>> {
  const result = await client.mutation(RenameFolderMutation, { folderId, name }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.renameLibraryFolder.errors, value: null }));
}

/** Who sees a folder: staff on these access levels, or all staff when the list is empty. */
export async function setFolderAccess(
  client: Client,
  folderId: string,
  accessLevelIds: string[],
): Promise<Outcome<null>> {
  const result = await client
    .mutation(SetFolderAccessMutation, { folderId, accessLevelIds })
    .toPromise();
  return outcomeOf(result, (data) => ({ errors: data.setLibraryFolderAccess.errors, value: null }));
}

export async function deleteFolder(client: Client, folderId: string): Promise<Outcome<null>> {
  const result = await client.mutation(DeleteFolderMutation, { folderId }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.deleteLibraryFolder.errors, value: null }));
}

/** Upload the file, then file it in the folder: two steps, reported as one. */
export async function addDocument(
  client: Client,
  folderId: string,
  title: string,
  file: File,
): Promise<Outcome<null>> {
  const uploaded = outcomeOf(await client.mutation(UploadMutation, { file }).toPromise(), (data) => ({
    errors: data.uploadAttachment.errors,
    value: data.uploadAttachment.attachment?.id ?? "",
  }));
  if (!uploaded.ok) return uploaded;
  const result = await client
    .mutation(AddDocumentMutation, { folderId, title, attachmentId: uploaded.value })
    .toPromise();
  return outcomeOf(result, (data) => ({ errors: data.addLibraryDocument.errors, value: null }));
}

export async function renameDocument(
  client: Client,
  documentId: string,
  title: string,
): Promise<Outcome<null>> {
  const result = await client.mutation(RenameDocumentMutation, { documentId, title }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.renameLibraryDocument.errors, value: null }));
}

export async function moveDocument(
  client: Client,
  documentId: string,
  folderId: string,
): Promise<Outcome<null>> {
  const result = await client.mutation(MoveDocumentMutation, { documentId, folderId }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.moveLibraryDocument.errors, value: null }));
}

export async function deleteDocument(client: Client, documentId: string): Promise<Outcome<null>> {
  const result = await client.mutation(DeleteDocumentMutation, { documentId }).toPromise();
  return outcomeOf(result, (data) => ({ errors: data.deleteLibraryDocument.errors, value: null }));
}
