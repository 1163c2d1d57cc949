import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import { isSessionActivity, type SessionEvent } from "~/server/stream/session-event";
import { applyEvent } from "./apply-events";
import { FencedError, type Fence } from "./fence";
import { coalesceDeltas, latestUpserts, writeRuns } from "./coalesce";
import { ArchiveIds } from "./ids";
import { shortMessage } from "./short-message";

export type EventWriterOptions = {
  runnerId: string;
  directory: string;
  /** Longest time an event waits before its batch is written. */
  flushMs?: number;
  /** A batch this large is written at once; a larger backlog is written in batches this large. */
  maxBatch?: number;
  /** Called once a batch is committed, with the archive ids of the root sessions it touched. */
  onCommitted: (rootIds: string[]) => void;
  /** An event that could not be stored, with why (the tree is marked failed until a full sync). */
  onError: (error: unknown, events: SessionEvent[]) => void;
  /** Several instances: run first in every transaction; refuses writes once another owns the runner. */
  fence?: Fence;
  /** The fence refused a write: nothing more is written (the queue is dropped). */
  onFenced?: (error: FencedError) => void;
};

/**
 * Writes a runner directory's normalized events to the archive behind the live stream, in
 * batches, one transaction per batch. Viewers already have the events; a crash loses at most
 * what was not committed yet, which the runner still holds (reconcile brings it back).
 * Batches are cut between enqueued events, so each root's stored `lastSeq` is the end of an
 * event viewers got: a snapshot never ends inside a merged delta.
 */
export class EventWriter {
  private queue: SessionEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private readonly ids: ArchiveIds;
  private fenced = false;

  constructor(
    private readonly db: PrismaClient,
    private readonly options: EventWriterOptions,
  ) {
    this.ids = new ArchiveIds(options.runnerId, options.directory);
  }

  enqueue(events: readonly SessionEvent[]): void {
    if (events.length === 0 || this.fenced) return;
    this.queue.push(...events);
    // Viewers do not wait for the archive: a longer window means fewer, bigger transactions,
    // and less of the event loop spent in the database (PGlite runs on it) while a run streams.
    if (this.queue.length >= this.maxBatch) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.options.flushMs ?? 200);
  }

  /** Writes everything enqueued so far; resolves when it is committed (or reported failed). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    // Batches commit strictly one after another so seq order in the archive is arrival order.
    // A batch is cut when the writer is free, not when it was asked: under a fast stream, all
    // that arrived during one commit goes into the next (coalesced), so latency stays bounded.
    this.writing = this.writing.then(() => this.drain());
    return this.writing;
  }

  private get maxBatch(): number {
    return this.options.maxBatch ?? 200;
  }

  private async drain(): Promise<void> {
    const backlog = this.queue;
    this.queue = [];
    // PGlite holds its one connection for a whole transaction: bounded batches let other
    // queries (a page opening, a snapshot) in between them. Bounded by what they write: the
    // deltas a burst streams to one part are one write, and one transaction, however many.
    for (const batch of writeRuns(backlog, this.maxBatch)) await this.write(batch);
  }

  private async write(batch: SessionEvent[]): Promise<void> {
    if (this.fenced) return;
    const coalesced = coalesceDeltas(batch);
    try {
      const rootIds = await this.commit(latestUpserts(coalesced), batch);
      this.options.onCommitted(rootIds);
    } catch (error) {
      // The new owner reconciles from the runner: what this one held is not lost, and not its to write.
      if (error instanceof FencedError) return this.stopFenced(error);
      // One bad event must not cost the rest of its batch: retry one event per transaction
      // (a run of merged deltas is one event).
      this.ids.reset();
      const rootIds = new Set<string>();
      for (const event of coalesced) {
        try {
          for (const id of await this.commit([event], [event])) rootIds.add(id);
        } catch (error) {
          this.ids.reset();
          if (error instanceof FencedError) return this.stopFenced(error);
          this.options.onError(error, [event]);
          await this.markUnstored(event, error);
        }
      }
      this.options.onCommitted([...rootIds]);
    }
  }

  private stopFenced(error: FencedError): void {
    if (!this.fenced) this.options.onFenced?.(error);
    this.fenced = true;
    this.queue = [];
  }

  /** Records that seqs up to `through` may be handed out for this root (see SeqReservations). */
  async reserveSeqs(rootOpencodeId: string, through: number): Promise<void> {
    // The root's row may be created by a batch committing right now: a lost race is retried.
    const rootId = await this.ids.session(this.db, rootOpencodeId, rootOpencodeId).catch(() => this.ids.session(this.db, rootOpencodeId, rootOpencodeId));
    const { fence } = this.options;
    const reserve = (tx: Prisma.TransactionClient) =>
      tx.session.updateMany({ where: { id: rootId, seqReserved: { lt: through } }, data: { seqReserved: through } });
    if (!fence) return void (await reserve(this.db));
    // A former owner must not hand out seqs: the new one continues above every reservation.
    try {
      await this.db.$transaction(async (tx) => {
        await fence(tx);
        await reserve(tx);
      });
    } catch (error) {
      if (error instanceof FencedError) this.stopFenced(error);
      throw error;
    }
  }

  // The live archive now misses this event: the tree says so (failed, with why) until a full
  // sync, which the sweep runs for failed trees, stores it from the runner.
  private async markUnstored(event: SessionEvent, error: unknown): Promise<void> {
    try {
      const rootId = await this.ids.session(this.db, event.rootSessionId, event.rootSessionId);
      await this.db.session.updateMany({
        where: { rootId },
        data: { archiveState: "failed", archiveError: `Could not store ${event.kind} #${event.seq}: ${shortMessage(error)}` },
      });
    } catch (markError) {
      this.options.onError(markError, [event]);
    }
  }

  /** Returns the archive ids of the root sessions written (each gets its lastSeq and activity). */
  private commit(events: SessionEvent[], original: SessionEvent[]): Promise<string[]> {
    const now = new Date();
    return this.db.$transaction(
      async (tx) => {
        await this.options.fence?.(tx);
        for (const event of events) await applyEvent(tx, this.ids, event, now);
        const lastSeq = new Map<string, number>();
        for (const event of original) lastSeq.set(event.rootSessionId, event.seq);
        const active = new Set(original.filter(isSessionActivity).map((event) => event.rootSessionId));
        const rootIds: string[] = [];
        for (const [root, seq] of lastSeq) {
          const rootId = await this.ids.session(tx, root, root);
          await tx.session.update({ where: { id: rootId }, data: { lastSeq: seq, ...(active.has(root) ? { lastActivityAt: now } : {}) } });
          rootIds.push(rootId);
        }
        return rootIds;
      },
      { timeout: 60_000, maxWait: 60_000 },
    );
  }
}
