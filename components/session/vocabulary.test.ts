import { describe, expect, it } from "vitest";
import { archiveLabel, archiveStateLabel, presenceLabel, presenceOf } from "./vocabulary";
import { statusLabel } from "./status";

describe("one vocabulary for runner presence and archive state", () => {
  it("calls a deleted session gone from its runner, any other live", () => {
    expect(presenceOf({ deletedAt: new Date() })).toBe("gone");
    expect(presenceOf({ deletedAt: "2026-12-03T10:00:00.000Z" })).toBe("gone");
    expect(presenceOf({ deletedAt: null })).toBe("live");
  });

  it("says the archive's state with words of its own, never 'Archived' alone", () => {
    expect(archiveStateLabel("none")).toBe("Archive: not yet");
    expect(archiveStateLabel("archived")).toBe("Archive: synced");
    expect(archiveStateLabel("failed")).toBe("Archive: failed");
    expect(archiveStateLabel("weird")).toBe("Archive: weird");
    const everyWord = [...Object.values(archiveLabel), ...Object.values(presenceLabel), ...Object.values(statusLabel)];
    expect(everyWord).not.toContain("Archived");
  });

  it("keeps the two sets apart, and the status filter's 'gone' is the presence's word", () => {
    const presence = new Set(Object.values(presenceLabel));
    for (const label of Object.values(archiveLabel)) expect(presence.has(label)).toBe(false);
    expect(statusLabel.gone).toBe(presenceLabel.gone);
  });
});
