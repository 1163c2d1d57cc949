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

/** A message being written: its code, its length (itself included, the code not), then its body. */
class Message {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  #at = 5;

  constructor(code: number, bodyLength: number) {
    this.bytes = new Uint8Array(5 + bodyLength);
    this.#view = new DataView(this.bytes.buffer);
    this.bytes[0] = code;
    this.#view.setInt32(1, 4 + bodyLength);
  }

  /** A string's bytes and its terminating NUL (the buffer is zeroed). */
  cstring(bytes: Uint8Array): this {
    this.bytes.set(bytes, this.#at);
    this.#at += bytes.length + 1;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.bytes.set(bytes, this.#at);
    this.#at += bytes.length;
    return this;
  }

  int16(n: number): this {
    this.#view.setInt16(this.#at, n);
    this.#at += 2;
    return this;
  }

  uint16(n: number): this {
    this.#view.setUint16(this.#at, n);
    this.#at += 2;
    return this;
  }

  int32(n: number): this {
    this.#view.setInt32(this.#at, n);
    this.#at += 4;
    return this;
  }
}

export function parseMessage({ name = "", types = [], text }: ParseOptions): Uint8Array {
  const nameBytes = encoder.encode(name);
  const textBytes = encoder.encode(text);
  const message = new Message(PARSE, nameBytes.length + 1 + textBytes.length + 1 + 2 + 4 * types.length);
  message.cstring(nameBytes).cstring(textBytes).int16(types.length);
  for (const type of types) message.int32(type);
  return message.bytes;
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
  const message = new Message(BIND, portalBytes.length + 1 + statementBytes.length + 1 + 2 + 2 * encoded.length + 2 + valuesLength + 2);
  message.cstring(portalBytes).cstring(statementBytes).uint16(encoded.length);
  for (const value of mapped) message.int16(value === null || typeof value === "string" ? TEXT_FORMAT : BINARY_FORMAT);
  message.uint16(encoded.length);
  for (const value of encoded) {
    if (value) message.int32(value.length).raw(value);
    else message.int32(-1);
  }
  return message.int16(binary ? BINARY_FORMAT : TEXT_FORMAT).bytes;
}

const serialize = protocol.serialize as { parse: typeof parseMessage; bind: typeof bindMessage };

/** pg-protocol's own writers, as they were before this module replaced them (for tests). */
export const pgProtocol = { parse: serialize.parse, bind: serialize.bind };

/** Makes PGlite write parse and bind messages with this module's writers (once per process is enough). */
export function writeMessagesFast(): void {
  serialize.parse = parseMessage;
  serialize.bind = bindMessage;
}
