import { applyEvent, emptySnapshot, type SessionEvent, type SnapshotState } from "~/server/stream";
import { firstSeq } from "~/server/hub/ring-buffer";

/** One `session.events` message: a chunk of consecutive events, its id the last one's seq. */
export type SessionChunk = { id: string; data: readonly SessionEvent[] };

/**
 * How a viewer reaches `session.events`: in-process (`ResumingViewer`) or over HTTP/SSE
 * (`httpSessionChunks`). Ends when `signal` aborts.
 */
export type ChunkSource = (lastEventId: string | null, signal: AbortSignal) => AsyncIterable<SessionChunk>;

/**
 * A client of `session.events`, over whichever transport, that disconnects whenever the test says and resumes with its
 * last event id, assembling the session as a browser would and counting what went wrong:
 * duplicates (a seq seen twice) and gaps (a seq that does not follow the previous one, a
 * snapshot resetting the count).
 */
export class StreamViewer {
  state: SnapshotState;
  lastEventId: string | null = null;
  readonly seen = new Set<number>();
  duplicates = 0;
  gaps = 0;
  snapshots = 0;
  /** Resumes answered by replaying what was missed, without a snapshot. */
  exactResumes = 0;
  finished = false;
  private cursor: number | undefined;

  /** `turns`: how many turns of the root session it follows before it is finished. */
  constructor(
    private readonly source: ChunkSource,
    protected readonly opencodeId: string,
    private readonly turns = 1,
  ) {
    this.state = emptySnapshot(opencodeId);
  }

  /**
   * Subscribes, receives for `forMs` milliseconds (less once the turn is done) and disconnects,
   * at whatever point the stream is then. Like a browser, it applies whole messages only: each
   * message carries the id a resume starts from. `afterMessage` runs before the next message is
   * read: a slow reader waits there, leaving the rest unread in its connection.
   */
  async take(forMs: number, afterMessage?: (chunk: SessionChunk) => Promise<void> | void): Promise<void> {
    if (this.finished) return;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), forMs);
    let resuming = this.lastEventId !== null;
    try {
      for await (const chunk of this.source(this.lastEventId, ac.signal)) {
        if (ac.signal.aborted) break;
        if (resuming && chunk.data[0]?.kind !== "snapshot") this.exactResumes++;
        resuming = false;
        for (const event of chunk.data) this.receive(event);
        this.lastEventId = chunk.id;
        if (this.finished) break;
        await afterMessage?.(chunk);
      }
    } catch (error) {
      if (!ac.signal.aborted) throw error;
    } finally {
      clearTimeout(timer);
      ac.abort();
    }
  }

  protected receive(event: SessionEvent): void {
    if (event.kind === "snapshot") {
      this.snapshots++;
    } else {
      // A merged delta stands for every seq from fromSeq to seq.
      const first = firstSeq(event);
      if (this.cursor !== undefined && first !== this.cursor + 1) this.gaps++;
      for (let seq = first; seq <= event.seq; seq++) {
        if (this.seen.has(seq)) this.duplicates++;
        this.seen.add(seq);
      }
    }
    this.cursor = event.seq;
    this.state = applyEvent(this.state, event);
    const root = this.state.sessions[this.opencodeId];
    // The last turn's answer, not an earlier one's: a new prompt may show before the status does.
    const last = root?.turns.at(-1);
    const answered = Object.values(root?.messages ?? {}).some((m) => m.role === "assistant" && m.turnId === last?.id && m.completedAt);
    this.finished = root?.status === "idle" && (root?.turns.length ?? 0) >= this.turns && answered;
  }
}
