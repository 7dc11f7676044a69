import { describe, expect, it } from "vitest";

import { fileKind, formatFileSize, titleFromFileName } from "./files";

describe("library files", () => {
  it("guesses a title from the file name", () => {
    expect(titleFromFileName("Safeguarding policy.pdf")).toBe("Safeguarding policy");
    expect(titleFromFileName("staff_code_of_conduct.docx")).toBe("staff code of conduct");
    expect(titleFromFileName("README")).toBe("README");
    expect(titleFromFileName(".hidden")).toBe(".hidden");
  });

  it("gives sizes and kinds as people say them", () => {
    expect(formatFileSize(850)).toBe("850 bytes");
    expect(formatFileSize(12 * 1024 + 100)).toBe("12 KB");
    expect(formatFileSize(3.4 * 1024 * 1024)).toBe("3.4 MB");
    expect(fileKind("application/pdf")).toBe("PDF");
    expect(fileKind("application/x-unknown")).toBe("File");
  });
});
