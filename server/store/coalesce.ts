import type { SessionEvent } from "~/server/stream/session-event";

type Delta = Extract<SessionEvent, { kind: "part.delta" }>;

/**
 * Merges runs of deltas to the same part field into one, so a batch of thousands of streamed
 * tokens becomes one write per part, and one event per part for viewers. Order between
 * different parts and other events is kept; a merged delta keeps the seqs it stands for
 * (fromSeq..seq), so the stream stays gap-free.
 */
export function coalesceDeltas(events: readonly SessionEvent[]): SessionEvent[] {
  const out: SessionEvent[] = [];
  for (const event of events) {
    const last = out.at(-1);
    if (last?.kind === "part.delta" && continues(last, event)) {
      out[out.length - 1] = { ...last, delta: last.delta + event.delta, seq: event.seq, fromSeq: last.fromSeq ?? last.seq };
    } else {
      out.push(event);
    }
  }
  return out;
}

/**
 * The events in runs, cut between events, that each coalesce (`coalesceDeltas`) to at most
 * `max` events: a bound on what a run writes, not on how many tokens it carries, so a burst of
 * thousands of deltas to one part stays one run.
 */
export function* writeRuns(events: readonly SessionEvent[], max: number): Generator<SessionEvent[]> {
  let start = 0;
  let writes = 0;
  for (let i = 0; i < events.length; i++) {
    if (i > start && continues(events[i - 1]!, events[i]!)) continue;
    if (writes === max) {
      yield events.slice(start, i);
      start = i;
      writes = 0;
    }
    writes++;
  }
  if (start < events.length) yield events.slice(start);
}

/** Whether `event` is a delta that goes on from `previous`, a delta to the same part field: the two merge. */
const continues = (previous: SessionEvent, event: SessionEvent): event is Delta =>
  previous.kind === "part.delta" && event.kind === "part.delta" && previous.sessionId === event.sessionId && previous.partId === event.partId && previous.field === event.field;

/**
 * Drops every part.upserted that a later one of the same part in the same batch supersedes (a
 * tool part goes pending, running, completed within milliseconds): each carries the whole part,
 * so storing the last is storing them all. For storage only: viewers still get every event.
 */
export function latestUpserts(events: readonly SessionEvent[]): SessionEvent[] {
  const last = new Map<string, number>();
  events.forEach((event, i) => {
    if (event.kind === "part.upserted") last.set(`${event.sessionId}:${event.part.id}`, i);
  });
  return events.filter((event, i) => event.kind !== "part.upserted" || last.get(`${event.sessionId}:${event.part.id}`) === i);
}
