import { describe, expect, it } from "vitest";
import { SharedFindings } from "./findings-cache";

describe("SharedFindings", () => {
  it("scans a link's tree once per version, however many pages ask at once, and again when it changed", async () => {
    const cache = new SharedFindings();
    let scans = 0;
    const scan = (value: string) => async () => (scans++, new Map([[value, "secret"]]));
    const [a, b] = await Promise.all([cache.of("link", "v1", scan("one")), cache.of("link", "v1", scan("two"))]);
    expect(scans).toBe(1);
    expect([...a.keys(), ...b.keys()]).toEqual(["one", "one"]);
    expect([...(await cache.of("link", "v2", scan("three"))).keys()]).toEqual(["three"]);
    expect(scans).toBe(2);
    // Another link's tree is its own.
    await cache.of("other", "v2", scan("four"));
    expect(scans).toBe(3);
  });

  it("does not keep a scan that failed", async () => {
    const cache = new SharedFindings();
    await expect(cache.of("link", "v1", () => Promise.reject(new Error("database went away")))).rejects.toThrow("database went away");
    expect([...(await cache.of("link", "v1", async () => new Map([["one", "secret"]]))).keys()]).toEqual(["one"]);
  });
});
