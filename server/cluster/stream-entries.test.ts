import { describe, expect, it } from "vitest";
import { decodeEntry, encodeEntry, ENTRY_FIELD, eventsAfter, heldWith } from "./stream-entries";

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
    const held: Ev[] = [{ seq: 7 }, { seq: 8 }];
    expect(heldWith(held, [{ seq: 5 }, { seq: 6 }], 10).map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    expect(heldWith(held, [{ seq: 8, text: "again" }, { seq: 9 }], 10)).toEqual([{ seq: 7 }, { seq: 8, text: "again" }, { seq: 9 }]);
    expect(heldWith(held, [{ seq: 9 }, { seq: 10 }], 3).map((e) => e.seq)).toEqual([8, 9, 10]);
  });
});
