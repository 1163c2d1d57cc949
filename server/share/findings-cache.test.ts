import { describe, expect, it } from "vitest";
import { SharedFindings, WHOLE_SCAN_EVERY_MS, type ScanTree, type TreeScan } from "./findings-cache";

const scanned = (value: string, wholeAt = 0): TreeScan => ({ findings: new Map([[value, "secret"]]), parts: new Map(), wholeAt, read: 0 });

describe("SharedFindings", () => {
  it("scans a link's tree once per version, however many pages ask at once, and again when it changed", async () => {
    const cache = new SharedFindings();
    let scans = 0;
    const scan = (value: string) => async () => (scans++, scanned(value));
    const [a, b] = await Promise.all([cache.of("link", "v1", scan("one")), cache.of("link", "v1", scan("two"))]);
    expect(scans).toBe(1);
    expect([...a.keys(), ...b.keys()]).toEqual(["one", "one"]);
    expect([...(await cache.of("link", "v2", scan("three"))).keys()]).toEqual(["three"]);
    expect(scans).toBe(2);
    // Another link's tree is its own.
    await cache.of("other", "v2", scan("four"));
    expect(scans).toBe(3);
  });

  it("scans a changed tree from the link's last scan, and the whole tree once the last whole scan is ten minutes old", async () => {
    let now = 1_000;
    const cache = new SharedFindings(() => now);
    const given: (TreeScan | undefined)[] = [];
    const scan: ScanTree = async (since) => (given.push(since), scanned(`at ${now}`, since?.wholeAt ?? now));
    await cache.of("link", "v1", scan);
    now += 60_000;
    await cache.of("link", "v2", scan);
    now = 1_000 + WHOLE_SCAN_EVERY_MS - 1;
    await cache.of("link", "v3", scan);
    now = 1_000 + WHOLE_SCAN_EVERY_MS;
    await cache.of("link", "v4", scan);
    now += 1;
    await cache.of("link", "v5", scan);
    // The first, then from each one before, until the whole scan of the first was ten minutes old.
    expect(given.map((since) => since && [...since.findings.keys()])).toEqual([
      undefined,
      ["at 1000"],
      ["at 61000"],
      undefined,
      [`at ${1_000 + WHOLE_SCAN_EVERY_MS}`],
    ]);
  });

  it("keeps what the parts were for the sixteen links read last: an older link reads its whole tree when it changed", async () => {
    const cache = new SharedFindings(() => 0);
    const given = new Map<string, TreeScan | undefined>();
    const scan = (link: string): ScanTree => async (since) => (given.set(link, since), scanned(link));
    const links = Array.from({ length: 17 }, (_, i) => `link-${i}`);
    for (const link of links) await cache.of(link, "v1", scan(link));
    // Changed: the link read last starts from its last scan; the first, read before sixteen others, reads its whole tree.
    await cache.of("link-16", "v2", scan("link-16"));
    await cache.of("link-0", "v2", scan("link-0"));
    expect(given.get("link-16")?.findings.has("link-16")).toBe(true);
    expect(given.has("link-0") && given.get("link-0")).toBe(undefined);
  });

  it("does not keep a scan that failed", async () => {
    const cache = new SharedFindings();
    await expect(cache.of("link", "v1", () => Promise.reject(new Error("database went away")))).rejects.toThrow("database went away");
    expect([...(await cache.of("link", "v1", async () => scanned("one"))).keys()]).toEqual(["one"]);
  });
});
