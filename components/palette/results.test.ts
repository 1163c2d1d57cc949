import { describe, expect, it } from "vitest";
import { paletteResults, type PaletteRunner, type PaletteSession } from "./results";

const pages = [
  { href: "/", label: "Sessions" },
  { href: "/runners", label: "Runners" },
  { href: "/shares", label: "Shared links" },
];
const session = (id: string, title: string): PaletteSession => ({ id, title, displayStatus: "idle", runner: { name: "embedded" } });
const runner = (id: string, name: string): PaletteRunner => ({ id, name, status: "healthy" });
const sessions = [session("s1", "Fix the runner URL"), session("s2", ""), session("s3", "Runners page polish")];
const runners = [runner("r1", "embedded"), runner("r2", "gpu runner")];
const listed = (query: string) => paletteResults(query, { pages, sessions, runners }).map((i) => `${i.kind}:${i.label}`);

describe("paletteResults", () => {
  it("lists the pages and then the recent sessions when nothing is typed, and no runners", () => {
    expect(listed("  ")).toEqual([
      "page:Sessions",
      "page:Runners",
      "page:Shared links",
      "session:Fix the runner URL",
      "session:Untitled session",
      "session:Runners page polish",
    ]);
  });
  it("puts the best match first, and on equal matches pages before sessions before runners", () => {
    expect(listed("runner")).toEqual([
      "page:Runners",
      "session:Runners page polish",
      "session:Fix the runner URL",
      "runner:gpu runner",
      "search:Search everything for “runner”",
    ]);
    expect(listed("embedded")).toEqual(["runner:embedded", "search:Search everything for “embedded”"]);
  });
  it("drops sessions the query does not match (a list still held from the previous query)", () => {
    expect(listed("polish")).toEqual(["session:Runners page polish", "search:Search everything for “polish”"]);
    expect(listed("untitled")).toEqual(["search:Search everything for “untitled”"]);
  });
  it("leads each kind to its own place: a session's page, the dashboard filtered by a runner", () => {
    const hrefs = paletteResults("e", { pages, sessions, runners }).map((i) => i.href);
    expect(hrefs).toContain("/sessions/s1");
    expect(hrefs).toContain("/?runner=r1");
    expect(hrefs).toContain("/shares");
    expect(hrefs[hrefs.length - 1]).toBe("/search?q=e");
  });
});
