import { describe, expect, it } from "vitest";
import type { Caller } from "~/server/auth/roles";
import { navPagesFor } from "./nav";

const member = (role: "viewer" | "operator" | "admin"): Caller => ({ kind: "user", userId: "u", name: "N", email: "n@x.test", role });
const labels = (caller: Caller) => navPagesFor(caller).map((p) => p.label);

describe("navPagesFor", () => {
  it("gives admins the team and archive pages, and no one else", () => {
    expect(labels(member("admin"))).toEqual(["Sessions", "Runners", "Shared links", "Search", "Usage", "Archive", "Team"]);
    expect(labels(member("operator"))).toEqual(["Sessions", "Runners", "Shared links", "Search", "Usage"]);
    expect(labels(member("viewer"))).toEqual(["Sessions", "Runners", "Shared links", "Search", "Usage"]);
  });
});
