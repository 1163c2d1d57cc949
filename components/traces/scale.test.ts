import { describe, expect, it } from "vitest";
import { barGeometry, clampRange, fractionOf, isFull, msAt, offsetLabel, tickStep, ticks, zoomAround, zoomTo } from "./scale";

const bounds = { start: 1000, end: 2000 };

describe("the time scale", () => {
  it("maps milliseconds to fractions of the visible range and back", () => {
    const view = { start: 1200, end: 1400 };
    expect(fractionOf(1300, view)).toBe(0.5);
    expect(msAt(0.25, view)).toBe(1250);
    expect(msAt(fractionOf(1337, view), view)).toBeCloseTo(1337);
  });

  it("clips bars to the visible range and keeps tiny ones visible", () => {
    const view = { start: 1000, end: 2000 };
    const bar = barGeometry(1100, 1300, view)!;
    expect(bar.left).toBeCloseTo(0.1);
    expect(bar.width).toBeCloseTo(0.2);
    expect(barGeometry(500, 1500, view)).toEqual({ left: 0, width: 0.5 });
    expect(barGeometry(2500, 2600, view)).toBeNull();
    expect(barGeometry(1500, 1500, view, 0.002)).toEqual({ left: 0.5, width: 0.002 });
    expect(barGeometry(2000, 2000, view, 0.01)!.left).toBeCloseTo(0.99);
  });

  it("zooms to a dragged range in either direction, clamped to the run", () => {
    expect(zoomTo(1600, 1200, bounds)).toEqual({ start: 1200, end: 1600 });
    expect(zoomTo(900, 1100, bounds)).toEqual({ start: 1000, end: 1200 });
    expect(zoomTo(1500, 1501, bounds, 10)).toEqual({ start: 1495.5, end: 1505.5 });
  });

  it("zooms in and out around a point that stays put, never past the whole run", () => {
    const view = { start: 1000, end: 2000 };
    const zin = zoomAround(view, 1200, 0.5, bounds);
    expect(zin).toEqual({ start: 1100, end: 1600 });
    expect(fractionOf(1200, zin)).toBeCloseTo(fractionOf(1200, view));
    expect(zoomAround(zin, 1200, 2, bounds)).toEqual(view);
    expect(zoomAround(view, 1500, 4, bounds)).toEqual(bounds);
    expect(isFull(zoomAround(zin, 1900, 10, bounds), bounds)).toBe(true);
  });

  it("keeps a range inside the bounds by shifting it", () => {
    expect(clampRange({ start: 1900, end: 2100 }, bounds)).toEqual({ start: 1800, end: 2000 });
    expect(clampRange({ start: 0, end: 5000 }, bounds)).toEqual(bounds);
  });

  it("puts round ticks on offsets from the run's start", () => {
    expect(tickStep({ start: 0, end: 1000 }, 10)).toBe(100);
    expect(tickStep({ start: 0, end: 1000 }, 4)).toBe(500);
    expect(tickStep({ start: 0, end: 7 }, 10)).toBe(1);
    expect(ticks({ start: 1000, end: 3500 }, 1000, 5).map((x) => x.label)).toEqual(["0", "500 ms", "1 s", "1.5 s", "2 s", "2.5 s"]);
    expect(ticks({ start: 1000, end: 3500 }, 1000, 3).map((x) => x.label)).toEqual(["0", "1 s", "2 s"]);
    const zoomed = ticks({ start: 1230, end: 1290 }, 1000, 6);
    expect(zoomed.map((x) => x.label)).toEqual(["230 ms", "240 ms", "250 ms", "260 ms", "270 ms", "280 ms", "290 ms"]);
  });

  it("labels offsets in ms, s and min", () => {
    expect(offsetLabel(0, 100)).toBe("0");
    expect(offsetLabel(1500, 500)).toBe("1.5 s");
    expect(offsetLabel(90_000, 10_000)).toBe("1 min 30 s");
    expect(offsetLabel(120_000, 60_000)).toBe("2 min");
    expect(offsetLabel(250, 50)).toBe("250 ms");
  });
});
