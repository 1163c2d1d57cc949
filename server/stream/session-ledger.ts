import { fingerprint } from "./fingerprint";
import { TurnTracker } from "./turn-tracker";

/**
 * What the normalizer remembers about one opencode session: its turns, and a fingerprint of
 * the last version of each entity it emitted. The fingerprints make every upsert idempotent:
 * an unchanged re-send (opencode repeats itself, reconciles overlap the live stream) emits
 * nothing.
 *
 * `oneShot` (a sync's planner, which sees most entities once): an entity seen for the first
 * time is kept as it is and fingerprinted only if it is seen again, so a full sync of a tree the
 * archive lacks hashes none of its parts. Kept values are never mutated (every entity is built
 * anew from its raw event), and the planner's ledger is dropped with its plan; a long-lived
 * ledger keeps fingerprints only, never a part's content.
 */
export class SessionLedger {
  readonly turns: TurnTracker;
  private readonly fingerprints = new Map<string, string | { value: unknown }>();

  constructor(
    readonly sessionId: string,
    private readonly oneShot = false,
  ) {
    this.turns = new TurnTracker(sessionId);
  }

  /** True when `value` differs from what was last recorded under `key`; records it. */
  changed(key: string, value: unknown): boolean {
    const recorded = this.fingerprints.get(key);
    if (recorded === undefined) {
      this.fingerprints.set(key, this.oneShot ? { value } : fingerprint(value));
      return true;
    }
    const print = fingerprint(value);
    this.fingerprints.set(key, print);
    return (typeof recorded === "string" ? recorded : fingerprint(recorded.value)) !== print;
  }

  /** The recorded version no longer matches what consumers hold (e.g. deltas were applied). */
  invalidate(key: string): void {
    this.fingerprints.delete(key);
  }
}

export const ledgerKey = {
  session: "session",
  status: "status",
  message: (id: string) => `message:${id}`,
  part: (id: string) => `part:${id}`,
};
