import { z } from "zod";
import { RawEvent, handledTypes } from "./raw-event";

// Bounds on what one event may be. Real events are small; tool outputs are capped by opencode
// well below this. Nesting is bounded so that no later recursive walk (fingerprints,
// serializers downstream) can overflow the stack.
export const MAX_EVENT_CHARS = 16 * 1024 * 1024;
export const MAX_EVENT_DEPTH = 64;

export const ParseFailure = z.object({
  // ignored: well-formed but not something the bridge consumes (global noise, unknown types).
  code: z.enum(["ignored", "malformed", "too_large", "too_deep", "unroutable", "invalid_shape"]),
  message: z.string(),
  type: z.string().optional(),
  eventId: z.string().optional(),
  sessionId: z.string().optional(),
});
export type ParseFailure = z.infer<typeof ParseFailure>;

export type ParseResult = { ok: true; event: RawEvent } | { ok: false; reason: ParseFailure };

/**
 * Turns anything (a JSON string, an object from the SDK's SSE client, a /global/event wrapper)
 * into a validated raw event. Never throws. Objects are copied through JSON so the caller
 * mutating them later cannot change what was normalized, and cycles/BigInts are refused here.
 */
export function parseRawEvent(input: unknown): ParseResult {
  const text = toJsonText(input);
  if (typeof text !== "string") return text;
  if (text.length > MAX_EVENT_CHARS) return fail("too_large", `event is ${text.length} chars`);
  if (nestingDepth(text) > MAX_EVENT_DEPTH) return fail("too_deep", `nesting deeper than ${MAX_EVENT_DEPTH}`);

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return fail("malformed", "not JSON");
  }
  const envelope = unwrap(value);
  if (!envelope) return fail("malformed", "not an event envelope {type, properties}");

  const type = envelope.type;
  const eventId = typeof envelope.id === "string" ? envelope.id.slice(0, 128) : undefined;
  const sessionId = typeof envelope.properties.sessionID === "string" ? envelope.properties.sessionID : undefined;
  if (!handledTypes.has(type)) return fail("ignored", "not consumed by the bridge", { type, eventId });
  if (sessionId === undefined) return fail("unroutable", "no properties.sessionID", { type, eventId });

  // A streamed answer is thousands of these a second: checked by hand, as RawEvent checks them.
  const delta = type === "message.part.delta" ? rawDelta(envelope) : undefined;
  if (delta) return { ok: true, event: delta };
  const parsed = RawEvent.safeParse(envelope);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid";
    return fail("invalid_shape", where, { type, eventId, sessionId: sessionId.slice(0, 512) });
  }
  return { ok: true, event: parsed.data };
}

type RawDelta = Extract<RawEvent, { type: "message.part.delta" }>;
const isId = (value: unknown): value is string => typeof value === "string" && value.length >= 1 && value.length <= 512;

/** The delta RawEvent's parse gives (same fields, unknown ones kept), or undefined for any other input: zod then says what is wrong. */
function rawDelta({ id, properties: p, ...rest }: Envelope): RawDelta | undefined {
  const { field, delta } = p;
  if (!isId(p.sessionID) || !isId(p.messageID) || !isId(p.partID) || typeof delta !== "string") return undefined;
  if (typeof field !== "string" || field.length < 1 || field.length > 64) return undefined;
  return { ...rest, ...(id === undefined ? {} : { id: typeof id === "string" ? id : undefined }), properties: { ...p } } as RawDelta;
}

function toJsonText(input: unknown): string | ParseResult {
  if (typeof input === "string") return input;
  try {
    const text = JSON.stringify(input);
    return typeof text === "string" ? text : fail("malformed", `not serializable (${typeof input})`);
  } catch (err) {
    return fail("malformed", `not serializable: ${err instanceof Error ? err.message : String(err)}`);
  }
}

type Envelope = { id?: unknown; type: string; properties: Record<string, unknown> };

// /global/event wraps each event as {directory, payload}.
function unwrap(value: unknown): Envelope | undefined {
  if (!isRecord(value)) return undefined;
  const candidate = isRecord(value.payload) && typeof value.type !== "string" ? value.payload : value;
  if (typeof candidate.type !== "string" || candidate.type.length > 128) return undefined;
  if (!isRecord(candidate.properties)) return undefined;
  return candidate as Envelope;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// Bracket depth of a JSON text, skipping string contents; a linear scan, far cheaper than a
// recursive walk and safe on any input.
function nestingDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) i = stringEnd(text, i);
    else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > max) max = depth;
    } else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

// Index of the quote closing the string opened at `open` (the text's end if none): found with
// indexOf, so a string of megabytes (a whole file in a tool output) is skipped natively.
function stringEnd(text: string, open: number): number {
  let quote = open;
  for (;;) {
    quote = text.indexOf('"', quote + 1);
    if (quote === -1) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === 92 /* \ */) backslashes++;
    if (backslashes % 2 === 0) return quote;
  }
}

function fail(code: ParseFailure["code"], message: string, ids: Omit<ParseFailure, "code" | "message"> = {}): ParseResult {
  return { ok: false, reason: { code, message, ...ids } };
}
