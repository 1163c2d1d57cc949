import { describe, expect, it } from "vitest";
import { bucketsOf, bucketStart, resolveRange, usageInput } from "./range";
import { usageInputOf, usageSearch } from "./search-params";

describe("usage ranges", () => {
  it("fills the defaults: up to today (UTC), 30 days", () => {
    const now = new Date("2026-03-01T00:30:00Z");
    expect(resolveRange({}, now)).toEqual({ from: "2026-01-31", to: "2026-03-01", runnerId: null, bucket: "day" });
    expect(resolveRange({ to: "2026-01-10" }, now)).toMatchObject({ from: "2025-12-12", to: "2026-01-10" });
    // A range that starts after today ends on its first day, not before it.
    expect(resolveRange({ from: "2026-04-01" }, now)).toMatchObject({ from: "2026-04-01", to: "2026-04-01" });
  });

  it("starts weeks on Monday, across a year's end", () => {
    expect(bucketStart("2027-01-01", "week")).toBe("2026-12-28");
    expect(bucketStart("2026-12-28", "week")).toBe("2026-12-28");
    expect(bucketStart("2027-01-03", "week")).toBe("2026-12-28");
    expect(bucketsOf({ from: "2026-12-31", to: "2027-01-12", bucket: "week" })).toEqual(["2026-12-28", "2027-01-04", "2027-01-11"]);
    expect(bucketsOf({ from: "2026-02-27", to: "2026-03-02", bucket: "day" })).toEqual(["2026-02-27", "2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it("refuses what it cannot show, naming the field", () => {
    const refused = (input: unknown) => usageInput.safeParse(input).error?.issues.map((i) => [i.path.join("."), i.message]);
    expect(refused({ from: "2026-02-29" })).toEqual([["from", "Dates are YYYY-MM-DD"]]);
    // Said once: a value that is no date is not also out of range.
    expect(refused({ from: "garbage" })).toEqual([["from", "Dates are YYYY-MM-DD"]]);
    expect(refused({ to: "1999-12-31" })).toEqual([["to", "Dates are between 2000-01-01 and 2999-12-31"]]);
    expect(refused({ from: "2026-02-01", to: "2026-01-01" })).toEqual([["from", "The range starts (2026-02-01) after it ends (2026-01-01)"]]);
    expect(refused({ from: "2024-01-01", to: "2026-01-01" })).toEqual([["from", "A range holds at most 731 days"]]);
    expect(refused({ bucket: "month" })).toEqual([["bucket", "Usage is grouped per day or per week"]]);
    expect(refused({ runnerId: "nope" })).toEqual([["runnerId", "Runner ids are UUIDs"]]);
    expect(refused({ from: "2024-01-02", to: "2026-01-01", bucket: "week" })).toBeUndefined();
  });

  it("reads and writes the page's address", () => {
    const input = usageInputOf(new URLSearchParams("from=2026-11-01&to=&runner=r1&bucket=week"));
    expect(input).toEqual({ from: "2026-11-01", to: undefined, runnerId: "r1", bucket: "week" });
    expect(usageSearch(input)).toBe("?from=2026-11-01&runner=r1&bucket=week");
    expect(usageSearch({ bucket: "day" })).toBe("");
  });
});
