import { RawMessageWithParts } from "./raw-event";

// opencode's `session.messages` answer ([{info, parts}]), as reconcile and seed consume it.

/** The valid entries, oldest first (a user message must open its turn before its answers). */
export function readMessageList(entries: unknown[]): { messages: RawMessageWithParts[]; invalid: number } {
  const messages: RawMessageWithParts[] = [];
  for (const entry of entries) {
    const parsed = RawMessageWithParts.safeParse(entry);
    if (parsed.success) messages.push(parsed.data);
  }
  messages.sort((a, b) => (a.info.time?.created ?? 0) - (b.info.time?.created ?? 0) || compare(a.info.id, b.info.id));
  return { messages, invalid: entries.length - messages.length };
}

export type Known = { messageIds(): string[]; partIdsOf(messageId: string): string[] };

/** Known messages, and known parts of listed messages, that the list no longer contains. */
export function missingFrom(messages: RawMessageWithParts[], known: Known) {
  const listed = new Map(messages.map((m) => [m.info.id, new Set(m.parts.map(partIdOf))]));
  const missing: { messageID: string; partID?: string }[] = [];
  for (const messageID of known.messageIds()) {
    const partIds = listed.get(messageID);
    if (!partIds) missing.push({ messageID });
    else for (const partID of known.partIdsOf(messageID)) if (!partIds.has(partID)) missing.push({ messageID, partID });
  }
  return missing;
}

/** A text or reasoning part opencode is still streaming: started, not ended. */
export function isOpenStream(part: unknown): boolean {
  if (typeof part !== "object" || part === null) return false;
  const { type, time } = part as { type?: unknown; time?: { start?: unknown; end?: unknown } };
  return (type === "text" || type === "reasoning") && time?.start !== undefined && time.end === undefined;
}

export function partIdOf(part: unknown): unknown {
  return typeof part === "object" && part !== null ? (part as { id?: unknown }).id : undefined;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
