// A streaming multipart/form-data reader: parts are handed over chunk by chunk as the request
// body arrives, so an upload of any size is never held in memory (Request.formData() would).

export type PartHeaders = { name: string; filename?: string };

export type PartSink = {
  start(headers: PartHeaders): void | Promise<void>;
  /** Awaited: a slow sink (a file being written) slows the reading of the request. */
  data(chunk: Buffer): void | Promise<void>;
  end(): void | Promise<void>;
};

export class MultipartError extends Error {}

const HEADER_END = Buffer.from("\r\n\r\n");
const MAX_HEADER_BYTES = 16 * 1024;

export function boundaryOf(contentType: string | null): string | undefined {
  if (!contentType || !/^multipart\/form-data\s*;/i.test(contentType)) return undefined;
  return /;\s*boundary=(?:"([^"]{1,70})"|([^\s;]{1,70}))/i.exec(contentType)?.slice(1).find(Boolean);
}

export async function readMultipart(body: AsyncIterable<Uint8Array>, boundary: string, sink: PartSink): Promise<void> {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The body opens with "--boundary": a leading CRLF makes the first delimiter like the others.
  let pending = Buffer.from("\r\n");
  // Widened on purpose: `step` changes it, which control-flow narrowing cannot see.
  let state = "preamble" as "preamble" | "after-delimiter" | "headers" | "body" | "done";

  const step = async (): Promise<boolean> => {
    switch (state) {
      case "preamble": {
        const at = pending.indexOf(delimiter);
        if (at < 0) {
          pending = pending.subarray(Math.max(0, pending.length - delimiter.length));
          return false;
        }
        pending = pending.subarray(at + delimiter.length);
        state = "after-delimiter";
        return true;
      }
      case "after-delimiter": {
        if (pending.length < 2) return false;
        const mark = pending.subarray(0, 2).toString("latin1");
        pending = pending.subarray(2);
        if (mark === "--") state = "done";
        else if (mark === "\r\n") state = "headers";
        else throw new MultipartError("The upload is not well-formed multipart data.");
        return state !== "done";
      }
      case "headers": {
        const at = pending.indexOf(HEADER_END);
        if (at < 0) {
          if (pending.length > MAX_HEADER_BYTES) throw new MultipartError("A part of the upload has oversized headers.");
          return false;
        }
        const headers = parseHeaders(pending.subarray(0, at).toString("utf8"));
        pending = pending.subarray(at + HEADER_END.length);
        state = "body";
        await sink.start(headers);
        return true;
      }
      case "body": {
        const at = pending.indexOf(delimiter);
        if (at >= 0) {
          if (at > 0) await sink.data(pending.subarray(0, at));
          await sink.end();
          pending = pending.subarray(at + delimiter.length);
          state = "after-delimiter";
          return true;
        }
        // Everything but a tail that may be the start of a delimiter split across chunks.
        const safe = pending.length - (delimiter.length - 1);
        if (safe > 0) {
          await sink.data(pending.subarray(0, safe));
          pending = pending.subarray(safe);
        }
        return false;
      }
      case "done":
        return false;
    }
  };

  for await (const chunk of body) {
    pending = pending.length ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
    while (await step());
    if (state === "done") return;
  }
  if (state !== "done") throw new MultipartError("The upload ended before it was complete.");
}

function parseHeaders(block: string): PartHeaders {
  const disposition = block
    .split("\r\n")
    .find((line) => /^content-disposition\s*:/i.test(line));
  const param = (key: string) => disposition && new RegExp(`;\\s*${key}="([^"]*)"`, "i").exec(disposition)?.[1];
  const name = param("name");
  if (!name) throw new MultipartError("A part of the upload has no name.");
  const filename = param("filename");
  return filename === undefined ? { name } : { name, filename };
}
