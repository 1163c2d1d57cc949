import type { Logger } from "~/server/log";
import type { PrismaClient } from "~/server/generated/prisma/client";
import type { ChangeSink } from "~/server/hub/change-feed";
import type { LiveStreams } from "~/server/hub/live-streams";
import { createRunnerClient, type OpencodeClient, type RunnerEndpoint } from "~/server/runtime/client";
import { coalesceDeltas } from "~/server/store/coalesce";
import { EventWriter } from "~/server/store/event-writer";
import type { Fence, FencedError } from "~/server/store/fence";
import { shortMessage } from "~/server/store/short-message";
import { Normalizer, type PushResult, type SessionEvent } from "~/server/stream";
import { parseRawEvent, type ParseResult } from "~/server/stream/parse-raw-event";
import { loadSeed, resumeSeqs } from "./archive-seed";
import { FrameBatcher } from "./frame-batcher";
import { pendingRequestEvents } from "./pending-requests";
import { runnerRestartedEvent } from "./runner-restarted";
import { SeqReservations } from "./seq-reservations";
import { sessionIdsIn } from "./raw-ids";
import { followRunnerEvents, type RunnerEventsOptions } from "./runner-events";
import { streamKey } from "./stream-key";
import { Watchdog } from "./watchdog";
import { turnOpenStatuses } from "~/server/stream/session-status";


export type DirectoryBridgeOptions = {
  db: PrismaClient;
  hub: LiveStreams<SessionEvent>;
  /** Told which session trees each committed batch changed (dashboards re-read their list). */
  changes: ChangeSink;
  runnerId: string;
  endpoint: RunnerEndpoint;
  directory: string;
  /** A busy turn with no event for this long is marked stalled. */
  stallMs: number;
  log: Logger;
  flushMs?: number;
  /** The runner kept refusing this directory and the bridge stopped trying. */
  onFailed?: () => void;
  /** Reconnection pacing and how many failures in a row end it (default in runner-events.ts). */
  backoff?: RunnerEventsOptions["backoff"];
  /** A tree nobody watches with nothing running for this long is forgotten (seeded again if it runs). */
  forgetAfterMs?: number;
  /** Several instances: the writes' fence, and what to do once it refuses (server/cluster). */
  fence?: Fence;
  onFenced?: (error: FencedError) => void;
};

/** Most quiet trees forgotten per check, so one check never holds the queue for long. */
const FORGET_PER_CHECK = 200;

/** Sessions worth reconciling after a reconnect (or a takeover): busy ones and those active recently. */
export function activeSessionsWhere(runnerId: string, directory?: string) {
  return {
    runnerId,
    directory,
    deletedAt: null,
    OR: [{ status: { in: [...turnOpenStatuses] } }, { lastActivityAt: { gte: new Date(Date.now() - 15 * 60_000) } }],
  };
}

/**
 * How long a burst is gathered before it goes out, by how many watch: a message costs each
 * viewer a write, so the more viewers, the more worth merging; never more than a frame.
 */
const frameFor = (viewers: number) => Math.min(16, viewers * 0.5);

/**
 * The live pipeline of one (runner, directory): runner events → normalizer → hub, at once (in
 * per-frame batches under load), and the archive behind it (in batches). Runs whether or not a
 * browser watches, so nothing a run does is lost. Raw events, seeding and reconciles go through
 * one queue so they never interleave; a raw event with nothing queued before it and nothing to
 * seed skips the queue, handled at once in the same order.
 */
export class DirectoryBridge {
  private readonly normalizer = new Normalizer();
  private readonly writer: EventWriter;
  private readonly batcher: FrameBatcher<SessionEvent>;
  private readonly reservations: SeqReservations;
  /** Publishing waits here while a seq reservation it needs is being written. */
  private gate: Promise<void> | undefined;
  /** Viewers of the streams the last batch went to: what merging a burst saves. */
  private viewers = 0;
  private readonly watchdog: Watchdog;
  private readonly seeded = new Set<string>();
  /** Sessions just prompted, whose first event has not arrived yet: opencode id → deadline. */
  private readonly expected = new Map<string, number>();
  private readonly abort = new AbortController();
  private queue: Promise<void> = Promise.resolve();
  /** Tasks on `queue` not done yet: while there are some, a runner event waits its turn behind them. */
  private queued = 0;
  private watchTimer: NodeJS.Timeout | undefined;
  private following: Promise<void> | undefined;
  private connected = false;

  constructor(private readonly options: DirectoryBridgeOptions) {
    this.watchdog = new Watchdog(options.stallMs);
    this.writer = new EventWriter(options.db, {
      runnerId: options.runnerId,
      directory: options.directory,
      flushMs: options.flushMs,
      onCommitted: (rootIds) => options.changes.notify(rootIds),
      onError: (error, events) =>
        options.log.error(`[bridge] could not store ${events.map((e) => `${e.kind}#${e.seq}`).join(", ")}: ${message(error)}`),
      fence: options.fence,
      onFenced: options.onFenced,
    });
    this.reservations = new SeqReservations((root, through) => this.writer.reserveSeqs(root, through));
    this.batcher = new FrameBatcher((events) => this.send(events), coalesceDeltas, () => frameFor(this.viewers));
  }

  get isConnected(): boolean {
    return this.connected;
  }

  /** Subscribes to the runner; resolves once the first connection is up (or `timeoutMs` passes). */
  start(timeoutMs = 10_000): Promise<void> {
    let firstConnection!: () => void;
    const connectedOnce = new Promise<void>((resolve) => (firstConnection = resolve));
    this.following = followRunnerEvents({
      endpoint: this.options.endpoint,
      directory: this.options.directory,
      signal: this.abort.signal,
      backoff: this.options.backoff,
      onEvent: (payload) => this.receive(payload),
      // Also on the first connection: whatever ran while nobody followed this directory (the
      // app was down, the bridge was closed, or a slow runner connected after a prompt) is caught up.
      onConnected: () => {
        this.connected = true;
        firstConnection();
        this.run(() => this.reconcileActive());
      },
      onDisconnected: (error) => {
        this.connected = false;
        this.options.log.warn(`[bridge] lost ${this.options.endpoint.url} (${this.options.directory}): ${message(error)}`);
      },
      onGaveUp: (error) => {
        this.connected = false;
        this.options.log.error(`[bridge] gave up on ${this.options.endpoint.url} (${this.options.directory}): ${message(error)}`);
        firstConnection();
        void this.run(() => this.markFailed(error));
        this.options.onFailed?.();
      },
    });
    const checkEvery = Math.max(250, Math.min(5_000, this.options.stallMs / 4));
    this.watchTimer = setInterval(() => this.run(async () => {
      this.checkStalls();
      this.forgetQuietTrees();
    }), checkEvery);
    return Promise.race([connectedOnce, new Promise<void>((r) => setTimeout(r, timeoutMs).unref())]);
  }

  /** Stops following the runner, publishes and writes everything already received. */
  async stop(): Promise<void> {
    this.abort.abort();
    clearInterval(this.watchTimer);
    await this.following;
    await this.queue;
    await this.stored();
    for (const key of this.roots()) this.options.hub.release(key);
  }

  /** Resolves once everything received so far is published and stored. */
  async settle(): Promise<void> {
    await this.queue;
    await this.stored();
  }

  /** Resolves once everything published so far is stored (a snapshot then covers it). */
  async stored(): Promise<void> {
    this.batcher.flush();
    await this.gate;
    await this.writer.flush();
  }

  /** Brings the archive of these sessions up to date from the runner's message lists. */
  reconcile(opencodeIds: string[]): Promise<void> {
    return this.run(async () => void (await this.reconcileNow(opencodeIds)));
  }

  /**
   * The same for the archive sync, which must hear of a failure: resolves with how many events
   * it took, rejects if reading the runner failed.
   */
  async resync(opencodeIds: string[]): Promise<number> {
    let outcome: { events: number } | { error: unknown } = { events: 0 };
    await this.run(async () => {
      try {
        outcome = { events: await this.reconcileNow(opencodeIds) };
      } catch (error) {
        outcome = { error };
        throw error;
      }
    });
    if ("error" in outcome) throw outcome.error;
    return outcome.events;
  }

  /** Feeds an event the bridge makes itself (e.g. a runner restart) through the same path. */
  inject(raw: unknown): Promise<void> {
    return this.run(() => this.handle(raw));
  }

  /**
   * A prompt was just sent to this session: keep following the directory until its events
   * arrive, or the bridge could close in the gap between the prompt and the runner's first event.
   */
  expect(opencodeId: string, withinMs = 60_000): void {
    this.expected.set(opencodeId, Date.now() + withinMs);
  }

  /** Why the directory must stay followed, or undefined when nothing needs it. */
  busyReason(): string | undefined {
    const now = Date.now();
    for (const [id, deadline] of this.expected) if (deadline < now) this.expected.delete(id);
    if (this.expected.size > 0) return `a prompt was sent to ${[...this.expected.keys()].join(", ")}`;
    const running = this.watchdog.running();
    if (running.length > 0) return `a turn runs in ${running.join(", ")}`;
    const watched = this.roots().filter((root) => this.options.hub.subscriberCount(root) > 0);
    if (watched.length > 0) return `someone watches ${watched.join(", ")}`;
    return undefined;
  }

  /** Whether this bridge holds the state of the tree rooted at this opencode session. */
  holdsTree(rootOpencodeId: string): boolean {
    return this.normalizer.rootOf(rootOpencodeId) !== undefined;
  }

  private run(task: () => Promise<void>): Promise<void> {
    this.queued++;
    const next = this.queue
      .then(task)
      .catch((error) => this.logError(error))
      .then(() => void this.queued--);
    this.queue = next;
    return next;
  }

  private logError(error: unknown): void {
    this.options.log.error(`[bridge] ${message(error)}`);
  }

  /**
   * A runner event. Most (a burst's deltas) are handled at once: nothing is queued before them
   * and their sessions are seeded. Queued, each cost half a dozen promises, and a 5,000-delta
   * burst as many microtasks and promise hooks, on the path to viewers.
   */
  private receive(payload: string): void {
    if (this.queued > 0) return void this.run(() => this.handle(payload));
    // Parsed once (a 16 MB event is not parsed again to be normalized).
    const parsed = parseRawEvent(payload);
    if (parsed.ok && sessionIdsIn(parsed.event).some((id) => !this.seeded.has(id))) return void this.run(() => this.handleParsed(parsed));
    try {
      this.accept(this.normalizer.pushParsed(parsed));
    } catch (error) {
      this.logError(error);
    }
  }

  private handle(payload: unknown): Promise<void> {
    return this.handleParsed(parseRawEvent(payload));
  }

  private async handleParsed(parsed: ParseResult): Promise<void> {
    if (parsed.ok) for (const id of sessionIdsIn(parsed.event)) await this.ensureSeeded(id);
    this.accept(this.normalizer.pushParsed(parsed));
  }

  private async ensureSeeded(opencodeId: string): Promise<void> {
    if (this.seeded.has(opencodeId)) return;
    this.seeded.add(opencodeId);
    // A session the archive already holds continues its seq and turn numbering.
    const seed = await loadSeed(this.options.db, this.options.runnerId, opencodeId);
    if (!seed) return;
    for (const session of seed.sessions) {
      this.seeded.add(session.id);
      if (session.parentId !== null) continue;
      const seqs = await resumeSeqs(this.options.db, this.options.runnerId, session.id, this.reservations.block);
      if (!seqs) continue;
      session.lastSeq = seqs.resumeAt;
      this.reservations.reserved(session.id, seqs.through);
    }
    this.accept(this.normalizer.seed(seed));
  }

  /** Sends what the normalizer made of an input on; returns how many events that was. */
  private accept(result: PushResult): number {
    for (const rejection of result.rejected) {
      this.options.log.warn(`[bridge] rejected event: ${JSON.stringify(rejection)}`);
    }
    this.batcher.push(result.events);
    return result.events.length;
  }

  /** Publishes a batch once its seqs are reserved: at once, unless a reservation is being written. */
  private send(events: SessionEvent[]): void {
    const last = new Map<string, number>();
    for (const event of events) last.set(event.rootSessionId, event.seq);
    const waits = [...last].flatMap(([root, seq]) => this.reservations.cover(root, seq) ?? []);
    if (waits.length === 0 && !this.gate) return this.publish(events);
    const gate = (this.gate ?? Promise.resolve())
      .then(() => Promise.all(waits))
      .then(
        () => this.publish(events),
        (error) => {
          // The archive refused the reservation (it is likely refusing the events too): viewers
          // still get them; only a crash before the archive is back could then reuse their seqs.
          this.options.log.error(`[bridge] could not reserve stream seqs: ${message(error)}`);
          this.publish(events);
        },
      );
    this.gate = gate;
    void gate.finally(() => {
      if (this.gate === gate) this.gate = undefined;
    });
  }

  /** To viewers first, then to the archive (the writer stores it behind, in batches). */
  private publish(events: SessionEvent[]): void {
    const now = Date.now();
    // One chunk per root session and batch: viewers get the batch as one message.
    const byStream = new Map<string, SessionEvent[]>();
    for (const event of events) {
      this.watchdog.observe(event, now);
      // Once the runner is busy with the prompt, the watchdog (or the session's idleness)
      // decides. Nothing else is a sign of that: the catch-up of a (re)connecting bridge
      // replays the session's earlier turns and its idle status while the prompt is on its way.
      if (event.kind === "session.status" && event.status !== "idle") this.expected.delete(event.sessionId);
      const key = streamKey(this.options.runnerId, event.rootSessionId);
      const chunk = byStream.get(key);
      if (chunk) chunk.push(event);
      else byStream.set(key, [event]);
    }
    let viewers = 0;
    for (const [key, chunk] of byStream) {
      this.options.hub.publish(key, chunk);
      viewers += this.options.hub.subscriberCount(key);
      // A tree gone idle keeps no replay buffer once nobody watches it (a later viewer gets a snapshot).
      const status = chunk.findLast((e) => e.kind === "session.status" && e.sessionId === e.rootSessionId);
      if (status?.kind === "session.status" && status.status === "idle") this.options.hub.release(key);
    }
    this.viewers = viewers;
    this.writer.enqueue(events);
  }

  /**
   * A directory followed for days sees thousands of trees: one nobody watches, with nothing
   * running for a while, costs no memory here any more (its next event seeds it again).
   */
  private forgetQuietTrees(): void {
    const quiet = this.watchdog.quietRoots(Date.now(), this.options.forgetAfterMs ?? 5 * 60_000);
    for (const root of quiet.slice(0, FORGET_PER_CHECK)) {
      const key = streamKey(this.options.runnerId, root);
      if (this.options.hub.subscriberCount(key) > 0 || this.expected.has(root)) continue;
      for (const id of this.normalizer.forget(root)) this.seeded.delete(id);
      this.seeded.delete(root);
      this.watchdog.forget(root);
      this.reservations.forget(root);
      this.options.hub.release(key);
    }
  }

  private checkStalls(): void {
    for (const stalled of this.watchdog.check(Date.now())) {
      this.options.log.warn(`[bridge] turn ${stalled.turnId} stalled: no event for ${stalled.silentForMs} ms`);
      this.accept(this.normalizer.markStalled(stalled.sessionId, stalled.turnId, stalled.silentForMs));
    }
  }

  // Busy sessions would otherwise wait for events that no longer come: they say why instead.
  private async markFailed(error: unknown): Promise<void> {
    const rows = await this.options.db.session.findMany({
      where: { runnerId: this.options.runnerId, directory: this.options.directory, deletedAt: null, status: { in: [...turnOpenStatuses] } },
      select: { id: true, rootId: true },
    });
    if (rows.length === 0) return;
    await this.options.db.session.updateMany({
      where: { id: { in: rows.map((r) => r.id) } },
      data: { status: "error", statusReason: `The runner stopped answering for this directory: ${shortMessage(error)}` },
    });
    this.options.changes.notify([...new Set(rows.map((r) => r.rootId ?? r.id))]);
  }

  private async reconcileActive(): Promise<void> {
    const rows = await this.options.db.session.findMany({
      where: activeSessionsWhere(this.options.runnerId, this.options.directory),
      select: { opencodeId: true },
    });
    await this.reconcileNow(rows.map((r) => r.opencodeId), { quick: true });
  }

  /**
   * `quick`: an idle session whose latest message the archive holds as the runner has it is
   * taken as up to date, without reading its whole list (10,000 parts took seconds to re-read,
   * competing with the snapshot of whoever opened it). Any difference there means a full read.
   */
  private async reconcileNow(opencodeIds: string[], options: { quick?: boolean } = {}): Promise<number> {
    if (opencodeIds.length === 0) return 0;
    const client = createRunnerClient(this.options.endpoint, { directory: this.options.directory });
    const { data: statuses } = await client.session.status(undefined, { throwOnError: true });
    let events = 0;
    const present: string[] = [];
    for (const id of opencodeIds) {
      await this.ensureSeeded(id);
      const { data: info } = await client.session.get({ sessionID: id }).catch(() => ({ data: undefined }));
      if (!info) continue; // gone from the runner: the archive keeps what it has
      present.push(id);
      events += this.accept(this.normalizer.push({ type: "session.updated", properties: { sessionID: id, info } }));
      const status = statuses?.[id] ?? { type: "idle" };
      const latest = options.quick && status.type === "idle" ? await this.latestUnchanged(client, id) : { unchanged: false, events: 0 };
      events += latest.events;
      if (latest.unchanged) {
        events += this.accept(this.normalizer.push({ type: "session.status", properties: { sessionID: id, status } }));
        continue;
      }
      let { data: messages } = await client.session.messages({ sessionID: id }, { throwOnError: true });
      if (status.type === "idle" && endsUnfinished(messages)) {
        // An abort: opencode says idle a moment before it ends the aborted answer. Read again.
        await new Promise((resolve) => setTimeout(resolve, UNFINISHED_RECHECK_MS));
        ({ data: messages } = await client.session.messages({ sessionID: id }, { throwOnError: true }));
      }
      if (status.type === "idle" && endsUnfinished(messages)) {
        // Idle with an answer that never completed: the runner died under the turn (perhaps
        // restarted on the same address before anyone noticed). Said before the message list
        // is applied, so what the archive streamed of that turn is kept (see apply-events).
        events += this.accept(this.normalizer.push(runnerRestartedEvent(id)));
      }
      events += this.accept(this.normalizer.reconcile(id, messages, { removeMissing: true, busy: status.type !== "idle" }));
      events += this.accept(this.normalizer.push({ type: "session.status", properties: { sessionID: id, status } }));
    }
    // Compared with what the archive holds, so what this bridge published is stored first.
    await this.stored();
    const busy = new Set(present.filter((id) => (statuses?.[id]?.type ?? "idle") !== "idle"));
    for (const raw of await pendingRequestEvents(client, this.options.db, this.options.runnerId, present, busy)) {
      events += this.accept(this.normalizer.push(raw));
    }
    return events;
  }

  /** Whether the runner's latest message in this session is the one the archive holds last, unchanged. */
  private async latestUnchanged(client: OpencodeClient, opencodeId: string): Promise<{ unchanged: boolean; events: number }> {
    const { data: latest } = await client.session.messages({ sessionID: opencodeId, limit: 1 }, { throwOnError: true });
    const last = latest.at(-1);
    if (!last || endsUnfinished(latest) || this.normalizer.latestMessageId(opencodeId) !== last.info.id) return { unchanged: false, events: 0 };
    const events = this.accept(this.normalizer.reconcile(opencodeId, latest));
    return { unchanged: events === 0, events };
  }

  private roots(): string[] {
    return [...this.seeded]
      .map((id) => this.normalizer.rootOf(id))
      .filter((root): root is string => root !== undefined)
      .map((root) => streamKey(this.options.runnerId, root));
  }
}

/**
 * How long an idle session's unfinished answer is given to end before the runner is taken to
 * have died under it (an abort reported idle first once made a reconcile call it restarted).
 */
const UNFINISHED_RECHECK_MS = 1_000;

/** The last message is an assistant answer with neither an end nor an error. */
function endsUnfinished(messages: unknown[] | undefined): boolean {
  const last = messages?.at(-1) as { info?: { role?: string; time?: { completed?: number }; error?: unknown } } | undefined;
  return last?.info?.role === "assistant" && !last.info.time?.completed && !last.info.error;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

