import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { clientAddress } from "./client-address.mjs";

describe("the address a request is counted under", () => {
  it("is the socket's peer, whatever the client claims", () => {
    expect(clientAddress({ "x-forwarded-for": "172.16.9.1", "x-real-ip": "172.16.9.2" }, "203.0.113.5", false)).toBe("203.0.113.5");
    expect(clientAddress({}, "::1", false)).toBe("::1");
  });

  it("behind a trusted proxy, is what the proxy gives: X-Real-IP, else the entry it appended last", () => {
    expect(clientAddress({ "x-real-ip": "198.51.100.7", "x-forwarded-for": "1.2.3.4, 198.51.100.7" }, "10.0.0.2", true)).toBe("198.51.100.7");
    // The client forged the first entry; the proxy appended the real one.
    expect(clientAddress({ "x-forwarded-for": "172.16.9.1, 198.51.100.8" }, "10.0.0.2", true)).toBe("198.51.100.8");
    expect(clientAddress({}, "10.0.0.2", true)).toBe("10.0.0.2");
  });
});
