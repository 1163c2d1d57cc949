import { describe, expect, it } from "vitest";
import { hasRole, type Caller } from "./roles";

const user = (role: "viewer" | "operator" | "admin"): Caller => ({ kind: "user", userId: "u", name: "U", email: "u@x.test", role });

describe("hasRole", () => {
  it("orders roles viewer < operator < admin", () => {
    expect(hasRole(user("viewer"), "viewer")).toBe(true);
    expect(hasRole(user("viewer"), "operator")).toBe(false);
    expect(hasRole(user("operator"), "operator")).toBe(true);
    expect(hasRole(user("operator"), "admin")).toBe(false);
    expect(hasRole(user("admin"), "viewer")).toBe(true);
  });

  it("never grants a role to anonymous or share-link callers", () => {
    expect(hasRole({ kind: "anonymous" }, "viewer")).toBe(false);
    expect(hasRole({ kind: "share", shareLinkId: "s", sessionId: "x" }, "viewer")).toBe(false);
  });
});
