import { describe, expect, it } from "vitest";
import { decodeEntry, encodeEntry, ENTRY_FIELD, eventsAfter, holdBack } from "./stream-entries";

type Ev = { seq: number; fromSeq?: number; text?: string };

describe("stream entries", () => {
  it("carries a run of events through one entry unchanged", () => {
    const run: Ev[] = [{ seq: 4, text: "a" }, { seq: 7, fromSeq: 5, text: "bcd" }];
    expect(decodeEntry<Ev>([ENTRY_FIELD, encodeEntry(run)])).toEqual(run);
  });

  it("reads nothing from an entry that is not a run of sequenced events", () => {
    expect(decodeEntry(["w", "1"])).toBeUndefined();
    expect(decodeEntry([ENTRY_FIELD, "{not json"])).toBeUndefined();
    expect(decodeEntry([ENTRY_FIELD, "[]"])).toBeUndefined();
    expect(decodeEntry([ENTRY_FIELD, '[{"text":"no seq"}]'])).toBeUndefined();
  });

  it("keeps only the events past the last seq handed on", () => {
    const run: Ev[] = [{ seq: 3 }, { seq: 4 }, { seq: 5 }];
    expect(eventsAfter(run, 2)).toBe(run);
    expect(eventsAfter(run, 3)).toEqual([{ seq: 4 }, { seq: 5 }]);
    expect(eventsAfter(run, 5)).toEqual([]);
    expect(eventsAfter(run, -Infinity)).toBe(run);
  });

  it("holds back events in seq order, each once, the newest when there are too many", () => {
    const seqs = (events: Ev[]) => events.map((e) => e.seq);
    const held: Ev[] = [{ seq: 7 }, { seq: 8 }];
    expect(holdBack(held, [{ seq: 9 }, { seq: 10 }], 10)).toBe(held);
    expect(seqs(held)).toEqual([7, 8, 9, 10]);
    // A refusal coming back after a later one: merged into place, a seq held twice kept once (the later copy).
    holdBack(held, [{ seq: 5 }, { seq: 6 }, { seq: 8, text: "again" }], 10);
    expect(held).toEqual([{ seq: 5 }, { seq: 6 }, { seq: 7 }, { seq: 8, text: "again" }, { seq: 9 }, { seq: 10 }]);
    // Never more than twice the limit: past it, the oldest go.
    const many: Ev[] = [];
    for (let seq = 1; seq <= 25; seq++) {
      holdBack(many, [{ seq }], 10);
      expect(many.length).toBeLessThanOrEqual(20);
    }
    expect(seqs(many)).toEqual([12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]);
  });
});
