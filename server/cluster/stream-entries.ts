import type { Sequenced } from "~/server/hub/stream-hub";

/**
 * One Redis Stream entry holds one run of consecutive events (what one publish carried), as
 * JSON in a single field: viewers on every instance then receive the same chunks.
 */
export const ENTRY_FIELD = "e";

export function encodeEntry(events: readonly Sequenced[]): string {
  return JSON.stringify(events);
}

/** The events of an entry (its flat field/value list), or undefined when it holds none. */
export function decodeEntry<E extends Sequenced>(fields: readonly string[]): E[] | undefined {
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] !== ENTRY_FIELD) continue;
    try {
      const events: unknown = JSON.parse(fields[i + 1]!);
      if (Array.isArray(events) && events.length > 0 && events.every(isSequenced)) return events as E[];
    } catch {
      // Not ours: the caller logs it.
    }
  }
  return undefined;
}

function isSequenced(event: unknown): event is Sequenced {
  return typeof event === "object" && event !== null && typeof (event as Sequenced).seq === "number";
}

/**
 * The events past `seq`. The same entry can be read twice (a command resent after a
 * reconnection, a stream read again from its start after Redis restarted); seqs never go back,
 * so what is at or below the last seq handed on was handed on already.
 */
export function eventsAfter<E extends Sequenced>(events: readonly E[], seq: number): readonly E[] {
  return events.at(-1)!.seq <= seq ? [] : events[0]!.seq > seq ? events : events.filter((e) => e.seq > seq);
}

/**
 * Adds events to those held back from Redis (`held`, changed in place and returned): in seq
 * order, each once, the newest, never more than twice `limit` (the caller sends the newest
 * `limit`; a viewer missing older ones gets a snapshot for them). Events published while Redis
 * is away come in order and are appended; refusals of appends sent one after another may come
 * back in any order, and are merged.
 */
export function holdBack<E extends Sequenced>(held: E[], events: readonly E[], limit: number): E[] {
  if (events.length === 0) return held;
  const inOrder = events.every((event, i) => event.seq > (i === 0 ? (held.at(-1)?.seq ?? -Infinity) : events[i - 1]!.seq));
  if (inOrder) for (const event of events) held.push(event);
  else {
    const bySeq = new Map<number, E>();
    for (const event of [...held, ...events]) bySeq.set(event.seq, event);
    held.length = 0;
    for (const event of [...bySeq.values()].sort((a, b) => a.seq - b.seq)) held.push(event);
  }
  // Trimmed in steps, not on every event: a stream held through an outage stays linear.
  if (held.length > 2 * limit) held.splice(0, held.length - limit);
  return held;
}
