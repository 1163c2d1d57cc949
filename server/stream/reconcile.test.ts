import { describe, expect, it } from "vitest";
import { assistantMessage, delta, messageWithParts, sessionUpdated, textPart, userMessage } from "./fixtures/raw";
import { sample, sampleEvents } from "./fixtures/sample-stream";
import { Normalizer } from "./normalizer";
import type { SessionEvent } from "./session-event";
import { turnIdOf } from "./turn-tracker";

type Raw = { type?: unknown; properties?: Record<string, unknown> };
type Obj = Record<string, unknown> & { id: string; messageID?: string };

/** What opencode's session.messages would return for `sessionId` after the given events. */
function messagesAfter(events: Raw[], sessionId: string) {
  const infos = new Map<string, Obj>();
  const parts = new Map<string, Obj>();
  for (const e of events) {
    if (e.properties?.sessionID !== sessionId) continue;
    if (e.type === "message.updated") {
      const info = e.properties.info as Obj;
      infos.set(info.id, info);
    }
    if (e.type === "message.part.updated") {
      const part = e.properties.part as Obj;
      parts.set(part.id, part);
    }
  }
  return [...infos.values()].map((info) => ({ info, parts: [...parts.values()].filter((p) => p.messageID === info.id) }));
}

function pushAll(normalizer: Normalizer, events: unknown[]) {
  return events.flatMap((e) => normalizer.push(e).events);
}

const upserted = (events: SessionEvent[]) =>
  events.flatMap((e) => (e.kind === "message.upserted" ? [e.message.id] : e.kind === "part.upserted" ? [e.part.id] : []));

describe("reconcile from the runner's message list", () => {
  const all = sampleEvents() as Raw[];

  it("emits nothing for what the live stream already delivered", () => {
    const normalizer = new Normalizer();
    pushAll(normalizer, all);
    for (const session of [sample.parent, sample.child]) {
      const result = normalizer.reconcile(session, messagesAfter(all, session));
      expect(result).toEqual({ events: [], rejected: [], ignored: false });
    }
  });

  it("after a disconnect, emits exactly what was missed, in the right turns, continuing the seq", () => {
    // The stream drops right after the sub-agent finished: the parent's answer is never seen.
    const cut = all.findIndex((e) => e.type === "session.idle");
    const normalizer = new Normalizer();
    const live = pushAll(normalizer, all.slice(0, cut + 1));

    const missed = normalizer.reconcile(sample.parent, messagesAfter(all, sample.parent));
    expect(missed.rejected).toEqual([]);
    expect(missed.events.map((e) => e.seq)).toEqual(missed.events.map((_, i) => live.length + i + 1));
    // The task call completed, the first answer got its finish, and the whole final answer is new.
    expect(new Set(upserted(missed.events))).toEqual(
      new Set([
        sample.taskPart,
        "prt_206a57e28001txnmnYZw6qjFLq", // step-finish of the first step
        "msg_206a573c6001dmoH6InthWPk18", // the first answer, now completed
        sample.finalMessage,
        "prt_206a57f400014w8BLexhUXgH6Z",
        sample.finalTextPart,
        "prt_206a57f9c001c86YwQuiog0kEo",
      ]),
    );
    const finalText = missed.events.find((e) => e.kind === "part.upserted" && e.part.id === sample.finalTextPart);
    expect(finalText).toMatchObject({ turnId: turnIdOf(sample.parent, sample.parentUserMessage), part: { text: "Done after tool. ".repeat(5) + " " } });
    expect(missed.events.find((e) => e.kind === "part.upserted" && e.part.id === sample.taskPart)).toMatchObject({
      part: { tool: { status: "completed", childSessionId: sample.child } },
    });

    // Idempotent: the same list again changes nothing.
    expect(normalizer.reconcile(sample.parent, messagesAfter(all, sample.parent)).events).toEqual([]);
  });

  it("re-sends a part whose deltas were streamed, even if its last full version is unchanged", () => {
    const S = "ses_r";
    const normalizer = new Normalizer();
    pushAll(normalizer, [sessionUpdated(S), userMessage(S, "msg_u"), assistantMessage(S, "msg_a", "msg_u"), textPart(S, "msg_a", "prt_t", "")]);
    pushAll(normalizer, [delta(S, "msg_a", "prt_t", "stray")]);
    // The runner says the part is empty (e.g. it was rewritten): consumers must be corrected.
    const list = [messageWithParts(userMessage(S, "msg_u"), []), messageWithParts(assistantMessage(S, "msg_a", "msg_u"), [textPart(S, "msg_a", "prt_t", "")])];
    expect(upserted(normalizer.reconcile(S, list).events)).toEqual(["prt_t"]);
  });

  it("while the session runs, leaves a streaming part alone: the runner's copy is behind its deltas", () => {
    const S = "ses_r";
    const open = (text: string, end?: number) => {
      const event = textPart(S, "msg_a", "prt_t", text);
      return { ...event, properties: { ...event.properties, part: { ...event.properties.part, time: { start: 1, end } } } };
    };
    const normalizer = new Normalizer();
    pushAll(normalizer, [sessionUpdated(S), userMessage(S, "msg_u"), assistantMessage(S, "msg_a", "msg_u"), open("")]);
    pushAll(normalizer, [delta(S, "msg_a", "prt_t", "streamed so far")]);
    const list = (part: ReturnType<typeof open>) => [
      messageWithParts(userMessage(S, "msg_u"), []),
      messageWithParts(assistantMessage(S, "msg_a", "msg_u"), [part]),
    ];
    expect(upserted(normalizer.reconcile(S, list(open("")), { busy: true }).events)).toEqual([]);
    // Once it ended, or once the session is idle (the runner died mid-part), the runner's copy is what there is.
    expect(upserted(normalizer.reconcile(S, list(open("streamed so far, and the end", 2)), { busy: true }).events)).toEqual(["prt_t"]);
    const idle = new Normalizer();
    pushAll(idle, [sessionUpdated(S), userMessage(S, "msg_u"), assistantMessage(S, "msg_a", "msg_u"), open(""), delta(S, "msg_a", "prt_t", "x")]);
    expect(upserted(idle.reconcile(S, list(open(""))).events)).toEqual(["prt_t"]);
  });

  it("with removeMissing, removes known messages and parts the runner no longer has", () => {
    const S = "ses_r";
    const normalizer = new Normalizer();
    pushAll(normalizer, [
      sessionUpdated(S),
      userMessage(S, "msg_u1"),
      assistantMessage(S, "msg_a1", "msg_u1"),
      textPart(S, "msg_a1", "prt_keep", "a"),
      textPart(S, "msg_a1", "prt_gone", "b"),
      userMessage(S, "msg_u2", 5),
    ]);
    const list = [
      messageWithParts(userMessage(S, "msg_u1"), []),
      messageWithParts(assistantMessage(S, "msg_a1", "msg_u1"), [textPart(S, "msg_a1", "prt_keep", "a")]),
    ];
    expect(normalizer.reconcile(S, list).events).toEqual([]);
    const result = normalizer.reconcile(S, list, { removeMissing: true });
    expect(result.events.map((e) => [e.kind, "turnId" in e && e.turnId])).toEqual([
      ["part.removed", `${S}:msg_u1`],
      ["message.removed", `${S}:msg_u2`],
    ]);
    expect(normalizer.reconcile(S, list, { removeMissing: true }).events).toEqual([]);
  });

  it("rejects a list that is not a list, and entries that are not {info, parts}, with the session id", () => {
    const normalizer = new Normalizer();
    normalizer.push(sessionUpdated("ses_r"));
    expect(normalizer.reconcile("ses_r", { nope: 1 }).rejected).toEqual([expect.objectContaining({ reason: "invalid_event", sessionId: "ses_r" })]);
    const result = normalizer.reconcile("ses_r", [{ info: { id: 3 } }, messageWithParts(userMessage("ses_r", "msg_u"), [])]);
    expect(result.rejected).toEqual([expect.objectContaining({ reason: "invalid_event", sessionId: "ses_r" })]);
    expect(result.events.map((e) => e.kind)).toEqual(["turn.started", "message.upserted"]);
  });
});

describe("seed from the archive", () => {
  const S = "ses_s";
  const archived = () => [
    messageWithParts(userMessage(S, "msg_u1"), [textPart(S, "msg_u1", "prt_prompt", "hi")]),
    messageWithParts(assistantMessage(S, "msg_a1", "msg_u1"), [textPart(S, "msg_a1", "prt_answer", "hello")]),
    messageWithParts(userMessage(S, "msg_u3", 9), []),
  ];

  it("emits nothing, then diffs against what it was given", () => {
    const normalizer = new Normalizer();
    const seeded = normalizer.seed({
      sessions: [{ id: S, parentId: null, lastSeq: 41, turns: [{ userMessageId: "msg_u1", index: 1 }, { userMessageId: "msg_u3", index: 3 }], messages: archived() }],
    });
    expect(seeded).toEqual({ events: [], rejected: [], ignored: false });
    expect(normalizer.reconcile(S, archived()).events).toEqual([]);

    const next = normalizer.reconcile(S, [...archived(), messageWithParts(userMessage(S, "msg_u4", 20), [])]);
    // The archive's turn indexes (with their gap) continue; the seq continues from lastSeq.
    expect(next.events).toEqual([
      expect.objectContaining({ kind: "turn.started", seq: 42, turn: { id: `${S}:msg_u4`, index: 4, userMessageId: "msg_u4" } }),
      expect.objectContaining({ kind: "message.upserted", seq: 43 }),
    ]);
  });

  it("places a late delta after a restart in its archived turn", () => {
    const normalizer = new Normalizer();
    normalizer.seed({ sessions: [{ id: S, parentId: null, messages: archived() }] });
    const result = normalizer.push(delta(S, "msg_a1", "prt_answer", " again"));
    expect(result.events).toEqual([expect.objectContaining({ kind: "part.delta", turnId: `${S}:msg_u1`, seq: 1 })]);
  });

  it("resolves a seeded sub-agent to its seeded root and releases events held for it", () => {
    const normalizer = new Normalizer();
    expect(normalizer.push(userMessage("ses_kid", "msg_k1")).events).toEqual([]);
    const released = normalizer.seed({
      sessions: [
        { id: "ses_kid", parentId: "ses_top" },
        { id: "ses_top", parentId: null, lastSeq: 7 },
      ],
    });
    expect(released.events.map((e) => [e.kind, e.rootSessionId, e.seq])).toEqual([
      ["turn.started", "ses_top", 8],
      ["message.upserted", "ses_top", 9],
    ]);
  });

  it("never rewinds the seq to a stale archive value", () => {
    const normalizer = new Normalizer();
    normalizer.seed({ sessions: [{ id: S, parentId: null, lastSeq: 10 }] });
    normalizer.seed({ sessions: [{ id: S, parentId: null, lastSeq: 3 }] });
    expect(normalizer.push(userMessage(S, "msg_x")).events[0]?.seq).toBe(11);
  });
});
