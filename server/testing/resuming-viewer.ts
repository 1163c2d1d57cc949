import { applyEvent, emptySnapshot, type SnapshotState } from "~/server/stream";
import { sessionEvents, type Live } from "./live";

/**
 * A client of `session.events` that disconnects whenever the test says and resumes with its
 * last event id, assembling the session as a browser would and counting what went wrong:
 * duplicates (a seq seen twice) and gaps (a seq that does not follow the previous one, a
 * snapshot resetting the count).
 */
export class ResumingViewer {
  state: SnapshotState;
  lastEventId: string | null = null;
  readonly seen = new Set<number>();
  duplicates = 0;
  gaps = 0;
  snapshots = 0;
  finished = false;
  private cursor: number | undefined;

  constructor(
    private readonly live: Live,
    private readonly sessionId: string,
    private readonly opencodeId: string,
  ) {
    this.state = emptySnapshot(opencodeId);
  }

  /** Subscribes, takes up to `budget` events (stopping early once the turn is done), disconnects. */
  async take(budget: number): Promise<void> {
    const ac = new AbortController();
    let taken = 0;
    try {
      if (budget <= 0) return;
      for await (const { id, data: event } of sessionEvents(this.live, this.sessionId, this.lastEventId, ac.signal)) {
        if (event.kind === "snapshot") {
          this.snapshots++;
        } else {
          if (this.seen.has(event.seq)) this.duplicates++;
          if (this.cursor !== undefined && event.seq !== this.cursor + 1) this.gaps++;
          this.seen.add(event.seq);
        }
        this.cursor = event.seq;
        this.state = applyEvent(this.state, event);
        this.lastEventId = id;
        const root = this.state.sessions[this.opencodeId];
        const answered = Object.values(root?.messages ?? {}).some((m) => m.role === "assistant" && m.completedAt);
        this.finished = root?.status === "idle" && answered;
        if (this.finished || ++taken >= budget) break;
      }
    } finally {
      ac.abort();
    }
  }
}
