// Two separate things with two separate sets of words, the same on every page:
// - runner presence: whether the session is still on its runner (live) or not (gone: deleted,
//   or its runner no longer has it); only a live session can be prompted;
// - archive state: how far Flightdeck's own copy of the tree is (not yet / syncing / synced / failed).
// "Archived" alone is never shown: it read as both.

export type Presence = "live" | "gone";

export const presenceLabel: Record<Presence, string> = {
  live: "Live on runner",
  gone: "Gone from runner",
};

/** A session is gone from its runner once it was deleted there (the archive alone remains). */
export function presenceOf(session: { deletedAt: Date | string | null }): Presence {
  return session.deletedAt ? "gone" : "live";
}

export type ArchiveStateName = "none" | "syncing" | "archived" | "failed";

export const archiveLabel: Record<ArchiveStateName, string> = {
  none: "Archive: not yet",
  syncing: "Archive: syncing",
  archived: "Archive: synced",
  failed: "Archive: failed",
};

/** The archive state's words; an unknown state is named as it is rather than guessed. */
export function archiveStateLabel(state: string): string {
  return archiveLabel[state as ArchiveStateName] ?? `Archive: ${state}`;
}
