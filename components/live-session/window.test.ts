import { describe, expect, it } from "vitest";
import { sample, sampleEvents } from "~/server/stream/fixtures/sample-stream";
import { applyEvent, emptySnapshot, snapshotEvent } from "~/server/stream/materialize";
import { Normalizer } from "~/server/stream/normalizer";
import type { SnapshotState } from "~/server/stream/snapshot-state";
import { conversationRows } from "~/components/session/rows";
import { applyBatch, initialLive } from "./fold";
import { mergeOlder, outsideWindow, shownView } from "./window";

const events = (() => {
  const normalizer = new Normalizer();
  return sampleEvents().flatMap((e) => normalizer.push(e).events);
})();
const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const reference = wire(events.reduce(applyEvent, emptySnapshot(sample.parent)));
const fullParent = reference.sessions[sample.parent]!;
const partIds = Object.keys(fullParent.parts).sort();

/**
 * What the server's windowed snapshot holds at `cut` events: the parent's parts from `fromPart`
 * on, the ones before counted (server/store/snapshot.ts does this in SQL).
 */
function windowedAt(cut: number, fromPart: string) {
  const state = wire(events.slice(0, cut).reduce(applyEvent, emptySnapshot(sample.parent)));
  const view = state.sessions[sample.parent]!;
  const older = Object.keys(view.parts).filter((id) => id < fromPart);
  for (const id of older) delete view.parts[id];
  view.window = { partId: fromPart, messageId: fullParent.parts[fromPart]!.messageId, older: older.length };
  return snapshotEvent(state, events[cut - 1]!.seq);
}

const olderPage = (before: string, state: SnapshotState = reference) => ({
  sessionId: sample.parent,
  parts: Object.fromEntries(Object.entries(state.sessions[sample.parent]!.parts).filter(([id]) => id < before)),
  window: null,
});

describe("a windowed live view", () => {
  // The parent's last assistant message: the window starts at its first part.
  const fromPart = partIds.find((id) => fullParent.parts[id]!.messageId === sample.finalMessage)!;

  it("folds the live tail into the parts it holds and leaves the older ones out", () => {
    const cut = events.findIndex((e) => e.kind === "part.delta" && e.partId === sample.finalTextPart);
    const live = applyBatch(initialLive, [windowedAt(cut, fromPart), ...events.slice(cut)]);
    const parent = live.tree!.sessions[sample.parent]!;
    expect(Object.keys(parent.parts).sort()).toEqual(partIds.filter((id) => id >= fromPart));
    expect(parent.parts[sample.finalTextPart]!.text).toBe(fullParent.parts[sample.finalTextPart]!.text);
    // Outline: every turn and message, whatever the window.
    expect(parent.turns).toEqual(fullParent.turns);
    expect(parent.messages).toEqual(fullParent.messages);
    expect(live.seq).toBe(events.at(-1)!.seq);
  });

  it("with its older page in, equals the view that held everything", () => {
    const cut = events.length - 3;
    const windowed = applyBatch(initialLive, [windowedAt(cut, fromPart), ...events.slice(cut)]);
    const merged = mergeOlder(windowed, olderPage(fromPart), fromPart);
    expect(wire(merged.tree)).toEqual(reference);
    expect(merged.tree!.sessions[sample.parent]!.window).toBeUndefined();
  });

  it("shows the end of the conversation the full view shows, and no empty prompt", () => {
    const live = applyBatch(initialLive, [windowedAt(events.length, fromPart)]);
    const rows = conversationRows(shownView(live.tree!.sessions[sample.parent]!));
    const all = conversationRows(fullParent);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(all.length);
    expect(rows).toEqual(all.slice(all.length - rows.length));
    expect(rows.some((r) => r.kind === "prompt")).toBe(false);
  });

  it("ignores events about parts before the window and keeps those after it", () => {
    const live = applyBatch(initialLive, [windowedAt(events.length, fromPart)]);
    const view = live.tree!.sessions[sample.parent]!;
    const upsert = events.find((e) => e.kind === "part.upserted" && e.sessionId === sample.parent && e.part.id < fromPart)!;
    const later = events.find((e) => e.kind === "part.upserted" && e.sessionId === sample.parent && e.part.id >= fromPart)!;
    expect(outsideWindow(view, upsert)).toBe(true);
    expect(outsideWindow(view, later)).toBe(false);
    const after = applyBatch(live, [{ ...upsert, seq: live.seq + 1 }]);
    expect(after.tree!.sessions[sample.parent]!.parts[(upsert as { part: { id: string } }).part.id]).toBeUndefined();
    expect(after.seq).toBe(live.seq + 1);
  });

  it("drops a page asked for a window the view no longer has (a fresh snapshot came meanwhile)", () => {
    const live = applyBatch(initialLive, [windowedAt(events.length, fromPart)]);
    const stale = partIds[partIds.indexOf(fromPart) - 1]!;
    expect(mergeOlder(live, olderPage(stale), stale)).toBe(live);
    expect(mergeOlder(live, { ...olderPage(fromPart), parts: {} }, fromPart)).toBe(live);
  });
});
