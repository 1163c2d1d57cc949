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
 * Events held back from Redis with more of them, in seq order, each once, at most `limit` (the
 * newest): the refusals of appends sent one after another come back in any order, and a viewer
 * missing the oldest ones gets a snapshot for them.
 */
export function heldWith<E extends Sequenced>(held: readonly E[], events: readonly E[], limit: number): E[] {
  const bySeq = new Map<number, E>();
  for (const event of [...held, ...events]) bySeq.set(event.seq, event);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq).slice(-limit);
}
