// Public entry of share-link redaction (see server/share/README.md).
export { createRedactor, type Findings, type Redact, type Redactor, type RedactorOptions } from "./redactor";
export { checkPattern } from "./admin-patterns";
export { holdBackPartial } from "./streaming";
