import type { ArchivedPart, ArchivedTree } from "~/server/archive/read";
import type { Redact, Redactor } from "./redact";
import { holdBackPartial } from "./redact/streaming";
import { namedError } from "~/server/named-error";

// How share-link content is made safe to send: a part still streaming held back to its last
// whole word, every string redacted, then the serialized result scanned once more.

export class UnsafeShareError extends namedError("UnsafeShareError") {
  constructor(readonly kinds: string[]) {
    // Kinds only: the values themselves are never logged.
    super(`Refused to send a share link's content: it still holds ${kinds.join(", ")}.`);
  }
}

/** Every string of `value` redacted (tool input and raw copies as JSON text), then scanned. */
export async function redactForShare<T>(redactor: Redactor, value: T): Promise<T> {
  const redacted = redactWith(await redactor.collect(stringsToRedact(value)), value);
  await refuseUnsafe(redactor, JSON.stringify(redacted));
  return redacted;
}

/** The strings `redactWith` redacts in `value`: what a redactor must collect first. */
export const stringsToRedact = (value: unknown): string[] => [...stringsOf(value), ...jsonTextsOf(value)];

/** `value` with every string redacted (tool input and raw copies as JSON text). */
export const redactWith = <T>(redact: Redact, value: T): T => redactDeep(value, redact);

/** The last scan: bytes that still hold a high-confidence secret are not sent. */
export async function refuseUnsafe(redactor: Redactor, bytes: string): Promise<string> {
  const kinds = await redactor.findHighConfidence(bytes);
  if (kinds.length > 0) throw new UnsafeShareError(kinds);
  return bytes;
}

// A part still streaming may end in half a secret that no detector recognises yet: its text
// is shown up to its last whole word, and its raw copy (which repeats the text) is left out.
export function holdBackStreaming(tree: ArchivedTree): ArchivedTree {
  const sessions = Object.fromEntries(
    Object.entries(tree.sessions).map(([id, session]) => [
      id,
      {
        ...session,
        turns: session.turns.map((turn) =>
          turn.status !== "running"
            ? turn
            : // A prompt is sent whole: only the agent's parts can end mid-word.
              { ...turn, messages: turn.messages.map((m) => (m.role === "user" ? m : { ...m, parts: m.parts.map(holdBackPart) })) },
        ),
      },
    ]),
  );
  return { ...tree, sessions, root: sessions[tree.root.id]! };
}

/** A part of a running turn as a link shows it: a part still streaming only up to its last whole word. */
export function holdBackPart(part: ArchivedPart): ArchivedPart {
  if (part.endedAt || part.tool?.endedAt) return part;
  const state = (part.data.state ?? {}) as Record<string, unknown>;
  return {
    ...part,
    text: part.text === null ? null : holdBackPartial(part.text, false),
    data: { type: part.data.type, state: { status: state.status, title: state.title } },
    tool: part.tool && { ...part.tool, output: part.tool.output === null ? null : holdBackPartial(part.tool.output, false) },
  };
}

// A tool's input and a part's raw copy are redacted as JSON text, so a value keeps the name that
// makes it a secret (`"AWS_SECRET_ACCESS_KEY": "…"`); should that text no longer parse, each
// string is redacted on its own instead.
const AS_JSON = new Set(["input", "data"]);

function jsonTextsOf(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) for (const item of value) jsonTextsOf(item, into);
  else if (value && typeof value === "object" && !(value instanceof Date)) {
    for (const [key, item] of Object.entries(value)) {
      if (AS_JSON.has(key) && item && typeof item === "object") into.push(JSON.stringify(item));
      else jsonTextsOf(item, into);
    }
  }
  return into;
}

function redactDeep<T>(value: T, redact: (s: string) => string): T {
  if (typeof value === "string") return redact(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => redactDeep(item, redact)) as T;
  if (!value || typeof value !== "object" || value instanceof Date) return value;
  const entries = Object.entries(value).map(([key, item]) => [key, AS_JSON.has(key) && item && typeof item === "object" ? redactJson(item, redact) : redactDeep(item, redact)]);
  return Object.fromEntries(entries) as T;
}

function redactJson(value: object, redact: (s: string) => string): unknown {
  let named: unknown = value;
  try {
    named = JSON.parse(redact(JSON.stringify(value))) as unknown;
  } catch {
    // A replacement cut through the JSON: each string alone is all that can be done.
  }
  // And each string alone too: a known value with a quote or backslash in it looks different
  // escaped as JSON text.
  return redactDeep(named, redact);
}

function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const item of value) stringsOf(item, into);
  else if (value && typeof value === "object" && !(value instanceof Date)) for (const item of Object.values(value)) stringsOf(item, into);
  return into;
}
