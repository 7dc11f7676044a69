import { type Dispatch, type DragEvent, type SetStateAction, useId, useState } from "react";
import { useClient } from "urql";

import { FieldGroup } from "./FieldGroup";
import { UploadAttachmentMutation } from "./queries";

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  status: "uploading" | "done" | "error";
  message?: string;
  attachmentId?: string;
}

let counter = 0;

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The ids of the files that finished uploading, to send with the record. */
export function uploadedIds(items: readonly UploadItem[]): string[] {
  return items.flatMap((item) => (item.status === "done" && item.attachmentId ? [item.attachmentId] : []));
}

/**
 * 'Files': 'Click to browse or drag a file to upload'. Each file uploads at once; its line
 * says whether it is uploading, done or refused (with the server's reason), and can be removed.
 */
export function FileDropZone({
  items,
  setItems,
  error,
  id,
}: {
  items: readonly UploadItem[];
  setItems: Dispatch<SetStateAction<UploadItem[]>>;
  error?: string | undefined;
  id?: string;
}) {
  const client = useClient();
  const ownId = useId();
  const inputId = `${ownId}-input`;
  const [dragging, setDragging] = useState(false);

  const update = (key: string, change: Partial<UploadItem>): void =>
    setItems((was) => was.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const upload = async (file: File): Promise<void> => {
    counter += 1;
    const key = `upload-${Date.now()}-${counter}`;
    setItems((was) => [...was, { key, name: file.name, size: file.size, status: "uploading" }]);
    try {
      const result = await client.mutation(UploadAttachmentMutation, { file }).toPromise();
      const payload = result.data?.uploadAttachment;
      if (payload?.attachment) {
        update(key, { status: "done", attachmentId: payload.attachment.id });
      } else if (payload && payload.errors.length > 0) {
        update(key, { status: "error", message: payload.errors.map((e) => e.message).join(" ") });
      } else {
        const serverMessage = result.error?.graphQLErrors[0]?.message;
        update(key, {
          status: "error",
          message:
            serverMessage ??
            (result.error?.response?.status === 403
              ? "Your session has ended. Sign in again, then add the file again."
              : "The file could not be uploaded. Check your connection and try again."),
        });
      }
    } catch {
      update(key, {
        status: "error",
        message: "The file could not be uploaded. Check your connection and try again.",
      });
    }
  };

  const addFiles = (files: FileList | null): void => {
    for (const file of Array.from(files ?? [])) void upload(file);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>): void => {
    event.preventDefault();
    setDragging(false);
    addFiles(event.dataTransfer.files);
  };

  return (
    <FieldGroup legend="Files" error={error} errorId={`${ownId}-error`} {...(id ? { id } : {})}>
      <div
        className={dragging ? "drop-zone drop-zone-active" : "drop-zone"}
        onDragOver={(event) => {
          event.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <label htmlFor={inputId} className="drop-zone-label">
          Click to browse or drag a file to upload
        </label>
        <input
          id={inputId}
          type="file"
          multiple
          className="drop-zone-input"
          aria-describedby={`${ownId}-types`}
          onChange={(event) => {
            addFiles(event.target.files);
            // The same file can be chosen again after removing it.
            event.target.value = "";
          }}
        />
        <p id={`${ownId}-types`} className="field-hint">
          PDF, images, Office documents and plain text, up to 20 MB each.
        </p>
      </div>
      {items.length > 0 && (
        <ul className="upload-list" aria-label="Files">
          {items.map((item) => (
            <li key={item.key} className={`upload upload-${item.status}`}>
              <span className="upload-name">{item.name}</span>{" "}
              <span className="upload-size">({formatSize(item.size)})</span>
              <span className="upload-status" role="status">
                {item.status === "uploading" && " Uploading…"}
                {item.status === "done" && " Uploaded"}
                {item.status === "error" && ` Not uploaded: ${item.message ?? ""}`}
              </span>
              {item.status === "uploading" && (
                <progress className="upload-progress" aria-label={`Uploading ${item.name}`} />
              )}
              <button
                type="button"
                className="link-button"
                aria-label={`Remove ${item.name}`}
                onClick={() => setItems((was) => was.filter((i) => i.key !== item.key))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </FieldGroup>
  );
}
