import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { formatBytes } from "../bytes";
import { ArchiveError } from "./errors";
import { boundaryOf, MultipartError, readMultipart, type PartSink } from "./multipart";

export type ReceivedUpload = {
  /** The uploaded file on disk (a private temp dir): never show this path to anyone. */
  path: string;
  /** The name the browser gave the file ("" when none). */
  filename: string;
  /** The form's text fields. */
  fields: Record<string, string>;
  /** Removes the temp dir. */
  dispose(): void;
};

const MAX_FIELD_BYTES = 4 * 1024;


/**
 * Streams a multipart upload's file field to a temp file. Over `maxBytes` it is refused: by its
 * Content-Length before a byte is read, else as soon as the bytes read pass the cap (the partial
 * file is deleted). Errors are ArchiveErrors: too_large (413) or invalid (400).
 */
export async function receiveUpload(
  request: Request,
  options: { maxBytes: number; fileField: string; tmpDir?: string },
): Promise<ReceivedUpload> {
  const tooLarge = (size?: number) =>
    new ArchiveError("too_large", `Uploads are limited to ${formatBytes(options.maxBytes)}${size ? ` (this one is ${formatBytes(size)})` : ""}.`);
  const declared = Number(request.headers.get("content-length"));
  if (declared > options.maxBytes) throw tooLarge(declared);
  const boundary = boundaryOf(request.headers.get("content-type"));
  if (!boundary || !request.body) throw new ArchiveError("invalid", `Upload a file as multipart/form-data (form field "${options.fileField}").`, undefined, "form");

  const dir = fs.mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), "flightdeck-upload-"));
  const file = path.join(dir, "upload");
  const dispose = () => fs.rmSync(dir, { recursive: true, force: true });
  const fields: Record<string, string> = {};
  let filename: string | undefined;
  let written = 0;
  let handle: fs.promises.FileHandle | undefined;
  let field: { name: string; text: string } | undefined;

  const sink: PartSink = {
    async start(part) {
      if (part.name === options.fileField && part.filename !== undefined && filename === undefined) {
        filename = part.filename;
        handle = await fs.promises.open(file, "wx", 0o600);
      } else if (part.filename === undefined) {
        field = { name: part.name, text: "" };
      }
    },
    async data(chunk) {
      if (handle) {
        await handle.write(chunk);
        written += chunk.length;
      } else if (field) {
        field.text += chunk.toString("utf8");
        if (field.text.length > MAX_FIELD_BYTES) throw new ArchiveError("invalid", `The form field "${field.name}" is too long.`, undefined, "form");
      }
    },
    async end() {
      if (field) fields[field.name] = field.text;
      field = undefined;
      await handle?.close();
      handle = undefined;
    },
  };

  const reader = request.body.getReader();
  try {
    await readMultipart(cappedChunks(reader, options.maxBytes, () => tooLarge()), boundary, sink);
    if (filename === undefined || written === 0) throw new ArchiveError("invalid", `Upload a non-empty file (form field "${options.fileField}").`, undefined, "form");
    return { path: file, filename, fields, dispose };
  } catch (error) {
    await reader.cancel().catch(() => {});
    await handle?.close().catch(() => {});
    dispose();
    if (error instanceof MultipartError) throw new ArchiveError("invalid", error.message, undefined, "form");
    throw error;
  }
}

/** The body's chunks, failing as soon as more than `maxBytes` have arrived. */
async function* cappedChunks(reader: ReadableStreamDefaultReader<Uint8Array>, maxBytes: number, tooLarge: () => Error) {
  let total = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    total += chunk.value.length;
    if (total > maxBytes) throw tooLarge();
    yield chunk.value;
  }
}
