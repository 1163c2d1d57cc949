import { describe, expect, it } from "vitest";
import { bigTree, sampleTree, span } from "./fixture";
import { centreOn, overviewColumns, windowRect } from "./overview";

describe("the overview strip", () => {
  it("counts overlapping calls per column and marks failures and running ones", () => {
    const cols = overviewColumns(sampleTree(), { start: 0, end: 100 }, 10, 0);
    // a (10..60) and b (15..80) overlap in columns 1 to 6; ca and cb add to it (a span counts in
    // the column its end falls in).
    expect(cols.map((c) => c.busy)).toEqual([0, 2, 3, 3, 3, 3, 3, 2, 2, 1]);
    expect(cols[3]!.failed).toBe(true);
    expect(cols[2]!.failed).toBe(false);
    const running = overviewColumns([span({ startMs: 50, endMs: null, status: "running" })], { start: 0, end: 100 }, 4, 100);
    expect(running.map((c) => c.busy)).toEqual([0, 0, 1, 1]);
    expect(running[3]!.running).toBe(true);
  });

  it("handles an empty or zero-width run", () => {
    expect(overviewColumns([], { start: 5, end: 5 }, 3, 0)).toHaveLength(3);
  });

  it("is cheap for 10,000 spans", () => {
    const spans = bigTree(10_000);
    const started = performance.now();
    overviewColumns(spans, { start: 0, end: spans.at(-1)!.endMs! }, 400, 0);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it("marks the visible window and re-centres it on a click", () => {
    const bounds = { start: 0, end: 1000 };
    expect(windowRect({ start: 250, end: 500 }, bounds)).toEqual({ left: 0.25, width: 0.25 });
    expect(windowRect({ start: -100, end: 2000 }, bounds)).toEqual({ left: 0, width: 1 });
    expect(centreOn({ start: 0, end: 200 }, 0.5, bounds)).toEqual({ start: 400, end: 600 });
    expect(centreOn({ start: 0, end: 200 }, 0.99, bounds)).toEqual({ start: 800, end: 1000 });
  });
});
