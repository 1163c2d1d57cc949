import { describe, expect, it } from "vitest";
import { isAllowedHost, refuseRequest } from "./origin";

const req = (method: string, headers: Record<string, string>) => ({ method, headers: new Headers(headers) });

describe("host allowlist", () => {
  it("accepts loopback names on any port and the public URL's host", () => {
    for (const host of ["localhost:3000", "127.0.0.1:3210", "127.0.0.2:80", "[::1]:3000", "LOCALHOST:1"]) {
      expect(isAllowedHost(host, {}), host).toBe(true);
    }
    expect(isAllowedHost("deck.example.com", { publicUrl: "https://deck.example.com/" })).toBe(true);
    expect(isAllowedHost("deck.example.com:8443", { publicUrl: "https://deck.example.com:8443" })).toBe(true);
  });

  it("refuses every other name, a rebinding domain included", () => {
    for (const host of ["evil.example", "evil.example:3000", "localhost.evil.example", "192.168.1.5:3000", "", "a b"]) {
      expect(isAllowedHost(host, {}), host).toBe(false);
    }
    expect(isAllowedHost(null, {})).toBe(false);
    expect(isAllowedHost("deck.example.com:9999", { publicUrl: "https://deck.example.com" })).toBe(false);
  });
});

describe("refuseRequest", () => {
  it("refuses a foreign Host on reads too, naming the host and the way out", () => {
    const refusal = refuseRequest(req("GET", { host: "evil.example" }), {});
    expect(refusal?.status).toBe(421);
    expect(refusal?.message).toContain('"evil.example"');
    expect(refusal?.message).toContain("FLIGHTDECK_PUBLIC_URL");
  });

  it("lets reads through whatever their origin", () => {
    expect(refuseRequest(req("GET", { host: "localhost:3000", origin: "https://evil.example" }), {})).toBeUndefined();
  });

  it("lets same-origin changes through, by Origin or by Sec-Fetch-Site", () => {
    expect(refuseRequest(req("POST", { host: "localhost:3000", origin: "http://localhost:3000" }), {})).toBeUndefined();
    expect(refuseRequest(req("POST", { host: "localhost:3000", "sec-fetch-site": "same-origin" }), {})).toBeUndefined();
    // Scripts and CLIs send neither header and carry no browser cookie to ride on.
    expect(refuseRequest(req("POST", { host: "localhost:3000" }), {})).toBeUndefined();
  });

  it("refuses cross-origin and cross-site changes", () => {
    for (const headers of <Record<string, string>[]>[
      { host: "localhost:3000", origin: "https://evil.example" },
      { host: "localhost:3000", origin: "http://127.0.0.1:3000" },
      { host: "localhost:3000", origin: "http://localhost:3001" },
      { host: "localhost:3000", origin: "null" },
      { host: "localhost:3000", "sec-fetch-site": "cross-site" },
      { host: "localhost:3000", "sec-fetch-site": "same-site" },
    ]) {
      expect(refuseRequest(req("POST", headers), {})?.status, JSON.stringify(headers)).toBe(403);
    }
    expect(refuseRequest(req("DELETE", { host: "localhost:3000", origin: "https://evil.example" }), {})?.status).toBe(403);
  });
});
