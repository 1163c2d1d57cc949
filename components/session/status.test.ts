import { describe, expect, it } from "vitest";
import { viewStatus } from "./status";

describe("viewStatus", () => {
  const view = (status: "idle" | "running" | "stalled" | "error", open: { permissions?: number; questions?: number } = {}) => ({
    status,
    permissions: Object.fromEntries(Array.from({ length: open.permissions ?? 0 }, (_, i) => [`per_${i}`, {}])),
    questions: Object.fromEntries(Array.from({ length: open.questions ?? 0 }, (_, i) => [`que_${i}`, {}])),
  });

  it("says a busy turn with an open request is waiting for a person", () => {
    expect(viewStatus(view("running", { permissions: 1 }))).toBe("waiting");
    expect(viewStatus(view("running", { questions: 2 }))).toBe("waiting");
  });

  it("keeps the runner's status otherwise", () => {
    expect(viewStatus(view("running"))).toBe("running");
    expect(viewStatus(view("idle"))).toBe("idle");
    // A failure is worth more attention than the request it left behind.
    expect(viewStatus(view("error", { permissions: 1 }))).toBe("error");
    expect(viewStatus(view("stalled", { permissions: 1 }))).toBe("stalled");
  });
});
