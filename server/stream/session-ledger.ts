import { fingerprint } from "./fingerprint";
import { TurnTracker } from "./turn-tracker";

/**
 * What the normalizer remembers about one opencode session: its turns, and a fingerprint of
 * the last version of each entity it emitted. The fingerprints make every upsert idempotent:
 * an unchanged re-send (opencode repeats itself, reconciles overlap the live stream) emits
 * nothing.
 */
export class SessionLedger {
  readonly turns: TurnTracker;
  private readonly fingerprints = new Map<string, string>();

  constructor(readonly sessionId: string) {
    this.turns = new TurnTracker(sessionId);
  }

  /** True when `value` differs from what was last recorded under `key`; records it. */
  changed(key: string, value: unknown): boolean {
    const print = fingerprint(value);
    if (this.fingerprints.get(key) === print) return false;
    this.fingerprints.set(key, print);
    return true;
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
