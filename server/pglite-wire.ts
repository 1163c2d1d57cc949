import { protocol } from "@electric-sql/pglite";

// PGlite writes each protocol message with pg-protocol's Writer, which counts a string's UTF-8
// bytes with a JavaScript loop, then grows its buffer from 256 bytes by half again at a time
// (a zeroed allocation and a copy each), and starts from 256 bytes again for the next message.
// For one 16 MB part text that is 0.15 to 0.5 s on the app's thread; for a sync's 10,000 parts,
// whose rows travel as one SQL literal a statement, about 0.1 s. The parse and bind messages
// (every statement sends both) are written here instead, the same bytes in one allocation,
// with the platform's UTF-8 encoder. They replace pg-protocol's on the serializer object
// PGlite's own statements call, so every PGlite of the process writes them.

type Value = string | ArrayBuffer | ArrayBufferView | null;
type ParseOptions = { name?: string; types?: number[]; text: string };
type BindOptions = { portal?: string; statement?: string; binary?: boolean; values?: Value[]; valueMapper?: (value: unknown, index: number) => Value };

const PARSE = 0x50;
const BIND = 0x42;
const TEXT_FORMAT = 0;
const BINARY_FORMAT = 1;

const encoder = new TextEncoder();

/** A message: its code, then its length (itself included, the code not), then its body. */
function message(code: number, bodyLength: number): { bytes: Uint8Array; view: DataView } {
  const bytes = new Uint8Array(5 + bodyLength);
  const view = new DataView(bytes.buffer);
  bytes[0] = code;
  view.setInt32(1, 4 + bodyLength);
  return { bytes, view };
}

export function parseMessage({ name = "", types = [], text }: ParseOptions): Uint8Array {
  const nameBytes = encoder.encode(name);
  const textBytes = encoder.encode(text);
  const { bytes, view } = message(PARSE, nameBytes.length + 1 + textBytes.length + 1 + 2 + 4 * types.length);
  let at = 5;
  bytes.set(nameBytes, at);
  at += nameBytes.length + 1;
  bytes.set(textBytes, at);
  at += textBytes.length + 1;
  view.setInt16(at, types.length);
  at += 2;
  for (const type of types) {
    view.setInt32(at, type);
    at += 4;
  }
  return bytes;
}

function valueBytes(value: Exclude<Value, null>): Uint8Array {
  if (typeof value === "string") return encoder.encode(value);
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
}

export function bindMessage({ portal = "", statement = "", binary = false, values = [], valueMapper }: BindOptions): Uint8Array {
  const mapped = valueMapper ? values.map(valueMapper) : values;
  const encoded = mapped.map((value) => (value === null ? null : valueBytes(value)));
  const portalBytes = encoder.encode(portal);
  const statementBytes = encoder.encode(statement);
  const valuesLength = encoded.reduce((sum, bytes) => sum + 4 + (bytes?.length ?? 0), 0);
  const { bytes, view } = message(BIND, portalBytes.length + 1 + statementBytes.length + 1 + 2 + 2 * encoded.length + 2 + valuesLength + 2);
  let at = 5;
  bytes.set(portalBytes, at);
  at += portalBytes.length + 1;
  bytes.set(statementBytes, at);
  at += statementBytes.length + 1;
  view.setUint16(at, encoded.length);
  at += 2;
  for (const value of mapped) {
    view.setInt16(at, value === null || typeof value === "string" ? TEXT_FORMAT : BINARY_FORMAT);
    at += 2;
  }
  view.setUint16(at, encoded.length);
  at += 2;
  for (const value of encoded) {
    view.setInt32(at, value ? value.length : -1);
    at += 4;
    if (value) bytes.set(value, at);
    at += value?.length ?? 0;
  }
  view.setInt16(at, binary ? BINARY_FORMAT : TEXT_FORMAT);
  return bytes;
}

const serialize = protocol.serialize as { parse: typeof parseMessage; bind: typeof bindMessage };

/** pg-protocol's own writers, as they were before this module replaced them (for tests). */
export const pgProtocol = { parse: serialize.parse, bind: serialize.bind };

/** Makes PGlite write parse and bind messages with this module's writers (once per process is enough). */
export function writeMessagesFast(): void {
  serialize.parse = parseMessage;
  serialize.bind = bindMessage;
}
