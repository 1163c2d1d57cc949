import { userMessageIdOf } from "~/server/stream/turn-tracker";
import type { SessionEvent } from "~/server/stream";

export type StalledTurn = { sessionId: string; turnId: string; silentForMs: number };

/**
 * Notices trees that went silent while a turn runs. Activity is tracked per ROOT: a parent
 * waiting on a busy sub-agent is not stalled. Waiting for a human (permission, question) is
 * not stalled either. Each silence is reported once; any new event in the tree re-arms it.
 */
export class Watchdog {
  private readonly lastEventAt = new Map<string, number>();
  /** Stalled sessions still count as running: their turn may yet resume, so keep following. */
  private readonly runningTurns = new Map<string, { root: string; turnId: string | undefined; waiting: boolean }>();
  private readonly reported = new Set<string>();

  constructor(private readonly stallMs: number) {}

  observe(event: SessionEvent, now: number): void {
    // The stall report itself is not a sign of life.
    if (event.kind === "turn.stalled") return;
    this.lastEventAt.set(event.rootSessionId, now);
    this.reported.delete(event.rootSessionId);
    const key = event.sessionId;
    const state = this.runningTurns.get(key);
    switch (event.kind) {
      case "turn.started":
        // A prompt sent while a turn runs is queued behind it: the running turn is the one that may stall.
        if (state?.turnId) return;
        this.runningTurns.set(key, { root: event.rootSessionId, turnId: event.turnId, waiting: false });
        return;
      case "session.status":
        if (event.status === "running" && !state) {
          this.runningTurns.set(key, { root: event.rootSessionId, turnId: undefined, waiting: false });
        } else if (event.status !== "running") {
          this.runningTurns.delete(key);
        }
        return;
      // The turn answering now; a queued prompt's own message and parts do not make it run.
      case "message.upserted":
        if (state && event.message.role === "assistant") state.turnId = event.turnId;
        return;
      case "part.upserted":
        if (state && event.messageId !== userMessageIdOf(event.turnId)) state.turnId = event.turnId;
        return;
      case "session.error":
      case "session.deleted":
        this.runningTurns.delete(key);
        return;
      case "permission.asked":
      case "question.asked":
        if (state) state.waiting = true;
        return;
      case "permission.replied":
      case "question.replied":
      case "question.rejected":
        if (state) state.waiting = false;
        return;
    }
  }

  /** The sessions with a turn running (stalled ones included). */
  running(): string[] {
    return [...this.runningTurns.keys()];
  }

  /** Trees with no turn running and no event for `quietMs`. */
  quietRoots(now: number, quietMs: number): string[] {
    const busy = new Set([...this.runningTurns.values()].map((state) => state.root));
    return [...this.lastEventAt].filter(([root, at]) => now - at >= quietMs && !busy.has(root)).map(([root]) => root);
  }

  forget(root: string): void {
    this.lastEventAt.delete(root);
    this.reported.delete(root);
  }

  /** Turns whose tree has been silent for longer than the limit, once per silence. */
  check(now: number): StalledTurn[] {
    const stalled: StalledTurn[] = [];
    const silentRoots = new Set<string>();
    for (const [sessionId, state] of this.runningTurns) {
      if (state.waiting || !state.turnId || this.reported.has(state.root)) continue;
      const silentForMs = now - (this.lastEventAt.get(state.root) ?? now);
      if (silentForMs < this.stallMs) continue;
      stalled.push({ sessionId, turnId: state.turnId, silentForMs });
      silentRoots.add(state.root);
    }
    for (const root of silentRoots) this.reported.add(root);
    return stalled;
  }
}
