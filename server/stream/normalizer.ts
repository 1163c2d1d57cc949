import { parseRawEvent, type ParseFailure, type ParseResult } from "./parse-raw-event";
import { PendingBuffer, type PendingLimits } from "./pending-buffer";
import type { z } from "zod";
import { isOpenStream, missingFrom, partIdOf, readMessageList } from "./message-list";
import type { RawEvent, RawMessageWithParts } from "./raw-event";
import type { Rejection } from "./rejection";
import { SeedSession, type SeedInput } from "./seed-input";
import { SessionEvent, type SessionEventDraft } from "./session-event";
import { SessionLedger } from "./session-ledger";
import { SessionTree, type LinkOutcome } from "./session-tree";
import { Sequencer } from "./sequencer";
import { childSessionOf } from "./to-entities";
import { translate } from "./translate";

export type PushResult = {
  /** Normalized events, in seq order per root: store them, then publish them, all of them. */
  events: SessionEvent[];
  /** Inputs that produced no event, with the ids involved: log them. */
  rejected: Rejection[];
  /** The input was noise the bridge does not consume (heartbeats, plugin/catalog/lsp/file...). */
  ignored: boolean;
};

export type NormalizerOptions = {
  pending?: PendingLimits;
  /** Used once and dropped (a sync's plan): fingerprints are taken only when a comparison needs them (SessionLedger). */
  oneShot?: boolean;
};

// "silent" re-builds state from the archive without emitting (seed).
type Mode = "emit" | "silent";
type Pending = { event: RawEvent; mode: Mode };

const DEFAULT_PENDING: PendingLimits = { perSession: 1000, sessions: 200 };

/**
 * The pure core of the live bridge: raw opencode events in, validated SessionEvents out, each
 * keyed by the root of its session tree, placed in its turn, numbered with a gapless seq per
 * root. Never throws on input; what it cannot place it rejects, never guesses.
 *
 * Events of a session whose root is not known yet are held back (bounded) and released, in
 * arrival order, as soon as a parent link reveals the root.
 */
export class Normalizer {
  private readonly tree = new SessionTree();
  private readonly sequencer = new Sequencer();
  private readonly ledgers = new Map<string, SessionLedger>();
  private readonly pending: PendingBuffer<Pending>;
  /** Sessions marked stalled, per root, until the tree shows life again or the session ends. */
  private readonly stalled = new Map<string, Set<string>>();

  private readonly oneShot: boolean;

  constructor(options: NormalizerOptions = {}) {
    this.pending = new PendingBuffer(options.pending ?? DEFAULT_PENDING);
    this.oneShot = options.oneShot ?? false;
  }

  /** One raw event from the runner's event stream (object or JSON text). */
  push(input: unknown): PushResult {
    return this.pushParsed(parseRawEvent(input));
  }

  /** `push` of an event its caller parsed already (`parseRawEvent`), to read it first. */
  pushParsed(parsed: ParseResult): PushResult {
    const out = emptyResult();
    this.ingestParsed(parsed, "emit", out);
    this.flush(out);
    return out;
  }

  /**
   * Pre-loads what the archive holds (sessions, turns, messages, parts, last seq) without
   * emitting it, so later events diff against it. Returns events released from the pending
   * buffer by links the seed revealed.
   */
  seed(input: SeedInput): PushResult {
    const out = emptyResult();
    const sessions: z.output<typeof SeedSession>[] = [];
    for (const candidate of input.sessions) {
      const parsed = SeedSession.safeParse(candidate);
      if (!parsed.success) {
        out.rejected.push({ reason: "invalid_event", message: `seed: ${parsed.error.issues[0]?.message ?? "invalid"}` });
        continue;
      }
      const session = parsed.data;
      sessions.push(session);
      this.learn(this.tree.observe(session.id, session.parentId), session.id, out);
      if (session.parentId === null && session.lastSeq !== undefined) this.sequencer.resume(session.id, session.lastSeq);
      const { turns } = this.ledgerOf(session.id);
      for (const turn of session.turns) turns.restoreTurn(turn.userMessageId, turn.index);
    }
    for (const session of sessions) {
      if (session.info !== undefined) {
        this.ingest({ type: "session.updated", properties: { sessionID: session.id, info: session.info } }, "silent", out);
      }
      this.ingestMessages(session.id, this.readMessages(session.id, session.messages, out), "silent", out);
    }
    this.flush(out);
    return out;
  }

  /**
   * Diffs the runner's message list of a session (opencode `session.messages`: [{info, parts}])
   * against what was already emitted or seeded, and emits upserts only for what is new or
   * changed. Idempotent. With `removeMissing`, known messages and parts absent from the list
   * are removed: pass it only with a complete list, never a page. With `busy` (the session runs
   * a turn), a text or reasoning part the stream already delivers and the runner has not ended is
   * left alone: opencode stores its text only when it ends, so the list's copy is behind.
   */
  reconcile(sessionId: string, messages: unknown, options: { removeMissing?: boolean; busy?: boolean } = {}): PushResult {
    const out = emptyResult();
    if (!Array.isArray(messages)) {
      out.rejected.push({ reason: "invalid_event", message: "reconcile: messages is not an array", sessionId });
      return out;
    }
    const list = this.readMessages(sessionId, messages, out);
    const ledger = this.ledgers.get(sessionId);
    if (options.removeMissing && ledger) {
      for (const { messageID, partID } of missingFrom(list, ledger.turns)) {
        this.ingest(
          partID === undefined
            ? { type: "message.removed", properties: { sessionID: sessionId, messageID } }
            : { type: "message.part.removed", properties: { sessionID: sessionId, messageID, partID } },
          "emit",
          out,
        );
      }
    }
    const streaming = (messageId: string, part: unknown) =>
      options.busy === true && isOpenStream(part) && ledger?.turns.partIdsOf(messageId).includes(partIdOf(part) as string) === true;
    this.ingestMessages(sessionId, list, "emit", out, streaming);
    this.flush(out);
    return out;
  }

  /** The watchdog saw no event for a running turn for `silentForMs`. */
  markStalled(sessionId: string, turnId: string, silentForMs: number): PushResult {
    const out = emptyResult();
    const root = this.tree.rootOf(sessionId);
    if (root === undefined || !this.ledgers.get(sessionId)?.turns.hasTurn(turnId)) {
      out.rejected.push({ reason: "turn_unknown", message: `stall report for unknown turn ${turnId}`, sessionId, turnId });
      return out;
    }
    this.stamp(root, sessionId, { kind: "turn.stalled", turnId, silentForMs }, out);
    const stalled = this.stalled.get(root) ?? new Set<string>();
    this.stalled.set(root, stalled.add(sessionId));
    return out;
  }

  /** The newest message id known in this session (opencode ids sort by creation). */
  latestMessageId(sessionId: string): string | undefined {
    const ids = this.ledgers.get(sessionId)?.turns.messageIds() ?? [];
    return ids.reduce<string | undefined>((latest, id) => (latest === undefined || id > latest ? id : latest), undefined);
  }

  rootOf(sessionId: string): string | undefined {
    return this.tree.rootOf(sessionId);
  }

  lastSeq(rootSessionId: string): number {
    return this.sequencer.current(rootSessionId);
  }

  /** Drops all state of a tree; seed it again before resuming it. Returns its sessions. */
  forget(rootSessionId: string): string[] {
    const members = this.tree.membersOf(rootSessionId);
    for (const id of members) this.ledgers.delete(id);
    this.tree.forget(members);
    this.sequencer.forget(rootSessionId);
    return members;
  }

  private ingest(input: unknown, mode: Mode, out: PushResult): void {
    this.ingestParsed(parseRawEvent(input), mode, out);
  }

  private ingestParsed(parsed: ParseResult, mode: Mode, out: PushResult): void {
    if (!parsed.ok) {
      if (parsed.reason.code === "ignored") out.ignored = true;
      else out.rejected.push(invalidEvent(parsed.reason));
      return;
    }
    const { event } = parsed;
    this.learnLinks(event, out);
    const sessionId = event.properties.sessionID;
    // Behind already-held events of the same session, even if its root is now known, so that
    // a session's events are always handled in arrival order.
    const root = this.tree.rootOf(sessionId);
    if (root === undefined || this.pending.has(sessionId)) {
      for (const evicted of this.pending.add(sessionId, { event, mode })) out.rejected.push(rootUnknown(evicted.event));
      return;
    }
    this.apply(event, root, mode, out);
  }

  private ingestMessages(
    sessionId: string,
    messages: RawMessageWithParts[],
    mode: Mode,
    out: PushResult,
    skip: (messageId: string, part: unknown) => boolean = () => false,
  ): void {
    for (const { info, parts } of messages) {
      this.ingest({ type: "message.updated", properties: { sessionID: sessionId, info } }, mode, out);
      for (const part of parts) {
        if (!skip(info.id, part)) this.ingest({ type: "message.part.updated", properties: { sessionID: sessionId, part } }, mode, out);
      }
    }
  }

  private readMessages(sessionId: string, entries: unknown[], out: PushResult): RawMessageWithParts[] {
    const { messages, invalid } = readMessageList(entries);
    if (invalid > 0) {
      out.rejected.push({ reason: "invalid_event", message: `${invalid} message list entries are not {info, parts}`, sessionId });
    }
    return messages;
  }

  private learnLinks(event: RawEvent, out: PushResult): void {
    if (event.type === "session.created" || event.type === "session.updated" || event.type === "session.deleted") {
      const { info } = event.properties;
      this.learn(this.tree.observe(info.id, info.parentID ?? null), info.id, out, event);
    } else if (event.type === "message.part.updated") {
      const { part } = event.properties;
      const child = childSessionOf(part);
      if (child !== undefined) this.learn(this.tree.link(child, part.sessionID), child, out, event);
    }
  }

  private learn(outcome: LinkOutcome, childSessionId: string, out: PushResult, event?: RawEvent): void {
    if (outcome !== "conflict") return;
    out.rejected.push({
      reason: "link_conflict",
      message: `parent link of ${childSessionId} contradicts the known one (kept the known one)`,
      eventType: event?.type,
      eventId: event?.id,
      childSessionId,
    });
  }

  private apply(event: RawEvent, root: string, mode: Mode, out: PushResult): void {
    const sessionId = event.properties.sessionID;
    const translated = translate(event, this.ledgerOf(sessionId));
    if (!translated.ok) {
      out.rejected.push({ ...translated.miss, eventType: event.type, eventId: event.id, sessionId });
      return;
    }
    if (mode === "silent") return;
    for (const draft of translated.drafts) this.stamp(root, sessionId, draft, out);
  }

  // Releases held-back events of every session whose root became known; releasing may
  // reveal more roots (a child's events can link a grandchild), hence the loop.
  private flush(out: PushResult): void {
    for (let progressed = true; progressed; ) {
      progressed = false;
      for (const sessionId of this.pending.sessionIds()) {
        const root = this.tree.rootOf(sessionId);
        if (root === undefined) continue;
        progressed = true;
        for (const { event, mode } of this.pending.take(sessionId)) this.apply(event, root, mode, out);
      }
    }
  }

  // A stalled turn may only have been slow: when its tree streams again, its sessions are
  // running again, said before the activity that proves it so the order stays causal.
  private resumeStalled(root: string, sessionId: string, draft: SessionEventDraft, out: PushResult): void {
    const stalled = this.stalled.get(root);
    if (!stalled) return;
    if (draft.kind === "session.status" || draft.kind === "session.error" || draft.kind === "session.deleted") {
      stalled.delete(sessionId);
    } else if (RESUMING.has(draft.kind)) {
      this.stalled.delete(root);
      for (const id of stalled) this.stampChecked(root, id, { kind: "session.status", status: "running" }, out);
    }
    if (stalled.size === 0) this.stalled.delete(root);
  }

  private stamp(root: string, sessionId: string, draft: SessionEventDraft, out: PushResult): void {
    this.resumeStalled(root, sessionId, draft, out);
    this.stampChecked(root, sessionId, draft, out);
  }

  // Validates before taking a seq, so a rejected draft never leaves a hole in the sequence.
  private stampChecked(root: string, sessionId: string, draft: SessionEventDraft, out: PushResult): void {
    const seq = this.sequencer.current(root) + 1;
    const delta = draft.kind === "part.delta" ? checkedDelta(draft, root, sessionId, seq) : undefined;
    const parsed = delta ? { success: true as const, data: delta } : SessionEvent.safeParse({ ...draft, rootSessionId: root, sessionId, seq });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      out.rejected.push({
        reason: "invalid_output",
        message: `${draft.kind}: ${issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid"}`,
        sessionId,
      });
      return;
    }
    this.sequencer.next(root);
    out.events.push(parsed.data);
  }

  private ledgerOf(sessionId: string): SessionLedger {
    let ledger = this.ledgers.get(sessionId);
    if (!ledger) this.ledgers.set(sessionId, (ledger = new SessionLedger(sessionId, this.oneShot)));
    return ledger;
  }
}

/**
 * A streamed answer's delta as SessionEvent's parse makes it (the same keys, in its order),
 * checked by hand: thousands a second reach this. Undefined when anything is off; the parse
 * then says what.
 */
function checkedDelta(draft: Extract<SessionEventDraft, { kind: "part.delta" }>, root: string, sessionId: string, seq: number): SessionEvent | undefined {
  const { kind, turnId, messageId, partId, field, delta, fromSeq } = draft;
  const ids = [root, sessionId, messageId, partId];
  if (!ids.every((id) => typeof id === "string" && id.length > 0) || typeof turnId !== "string" || turnId.length < 3) return undefined;
  if (typeof field !== "string" || typeof delta !== "string" || fromSeq !== undefined || !Number.isSafeInteger(seq) || seq < 1) return undefined;
  return { kind, rootSessionId: root, sessionId, seq, turnId, messageId, partId, field, delta };
}

/** Events that show a tree is streaming again. */
const RESUMING = new Set<SessionEventDraft["kind"]>([
  "turn.started",
  "message.upserted",
  "part.upserted",
  "part.delta",
  "permission.asked",
  "question.asked",
]);

function emptyResult(): PushResult {
  return { events: [], rejected: [], ignored: false };
}

function invalidEvent(reason: ParseFailure): Rejection {
  return {
    reason: "invalid_event",
    message: `${reason.code}: ${reason.message}`,
    eventType: reason.type,
    eventId: reason.eventId,
    sessionId: reason.sessionId,
  };
}

function rootUnknown(event: RawEvent): Rejection {
  return {
    reason: "root_unknown",
    message: "dropped while waiting for the root of its session to be known",
    eventType: event.type,
    eventId: event.id,
    sessionId: event.properties.sessionID,
  };
}
