import { afterEach, describe, expect, it, vi } from "vitest";
import { FrameBatcher } from "./frame-batcher";

const join = (events: string[]) => [events.join("")];

describe("FrameBatcher", () => {
  afterEach(() => vi.useRealTimers());

  it("sends a lone event at the end of the current turn of the event loop, not a frame later", async () => {
    // Timers stand still: what leaves before the next turn did not wait for the frame's timer.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const sent: string[][] = [];
    const batcher = new FrameBatcher<string>((events) => sent.push(events), join, () => 16);
    batcher.push(["a"]);
    batcher.push(["b"]); // same turn: leaves with it
    expect(sent).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([["ab"]]);
  });

  it("merges a burst into one batch per frame", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "performance"] });
    const sent: string[][] = [];
    const batcher = new FrameBatcher<string>((events) => sent.push(events), join, () => 16);
    batcher.push(["a"]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([["a"]]);
    // A burst right after: held until the frame since the last send is over, then one batch.
    for (const token of ["b", "c", "d"]) {
      batcher.push([token]);
      vi.advanceTimersByTime(4);
    }
    expect(sent).toHaveLength(1);
    vi.advanceTimersByTime(4);
    expect(sent).toEqual([["a"], ["bcd"]]);
    // Quiet for a frame: the next lone event goes at once again.
    vi.advanceTimersByTime(20);
    batcher.push(["e"]);
    vi.advanceTimersByTime(1);
    expect(sent.at(-1)).toEqual(["e"]);
  });

  it("with no one to merge for (frame 0), never waits for a timer", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "setImmediate", "clearImmediate", "performance"] });
    const sent: string[][] = [];
    const batcher = new FrameBatcher<string>((events) => sent.push(events), join, () => 0);
    for (const token of ["a", "b", "c"]) {
      batcher.push([token]);
      vi.advanceTimersByTime(0);
    }
    expect(sent).toEqual([["a"], ["b"], ["c"]]);
  });

  it("flush sends what is pending at once", () => {
    const sent: string[][] = [];
    const batcher = new FrameBatcher<string>((events) => sent.push(events), join, () => 16);
    batcher.push(["a", "b"]);
    batcher.flush();
    expect(sent).toEqual([["ab"]]);
    batcher.flush();
    expect(sent).toHaveLength(1);
  });
});
