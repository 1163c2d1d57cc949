import { describe, expect, it } from "vitest";
import { CSV_HEADER, csvCell, csvFileName, usageCsv } from "./csv";
import type { UsageTree } from "./report";

describe("usage CSV", () => {
  it("quotes what would break a row and doubles quotes", () => {
    expect(csvCell('say "hi", then\nleave')).toBe('"say ""hi"", then\nleave"');
    expect(csvCell("plain")).toBe("plain");
    expect(csvCell(null)).toBe("");
    expect(csvCell(0.25)).toBe("0.25");
  });

  it("shows text a spreadsheet would run as a formula as text", () => {
    for (const formula of ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]) {
      expect(csvCell(formula).replace(/^"/, "")).toMatch(/^'/);
    }
    // Numbers are numbers: a negative one is not a formula.
    expect(csvCell(-1)).toBe("-1");
  });

  it("shows a NUL and a lone surrogate as the archived views do", () => {
    expect(csvCell("a\u0000b\uD800")).toBe("a\u2400b\uFFFD");
  });

  it("writes the header, then one row per tree", () => {
    const tree: UsageTree = {
      rootId: "00000000-0000-4000-8000-000000000001",
      title: "=cmd|' /C calc'!A0",
      runner: { id: "r", name: "alpha" },
      startedBy: "Ada, Lovelace",
      firstDay: "2026-11-02",
      lastDay: "2026-11-03",
      deleted: false,
      steps: 3,
      unpricedSteps: 0,
      tokens: { input: 600, output: 60, reasoning: 5, cacheRead: 50, cacheWrite: 7 },
      cost: 0.6,
    };
    const lines = usageCsv([tree]).split("\r\n");
    expect(lines[0]).toBe(CSV_HEADER.join(","));
    expect(lines[1]).toBe(`${tree.rootId},'=cmd|' /C calc'!A0,alpha,"Ada, Lovelace",2026-11-02,2026-11-03,3,0,600,60,5,50,7,0.6,false`);
    expect(lines[2]).toBe("");
    expect(csvFileName({ from: "2026-11-01", to: "2026-11-30", runnerId: null, bucket: "day" })).toBe("flightdeck-usage-2026-11-01-to-2026-11-30.csv");
    // A sum of prices, without its floating-point noise.
    expect(usageCsv([{ ...tree, cost: 0.1 + 0.2 }]).split("\r\n")[1]).toMatch(/,0\.3,false$/);
  });
});
