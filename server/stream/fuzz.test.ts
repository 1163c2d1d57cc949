import { describe, expect, it } from "vitest";
import { prng, type Prng } from "./fixtures/prng";
import { delta } from "./fixtures/raw";
import { sample, sampleEvents } from "./fixtures/sample-stream";
import { Normalizer, type PushResult } from "./normalizer";
import { parseRawEvent } from "./parse-raw-event";
import { Rejection } from "./rejection";
import { SessionEvent } from "./session-event";

const SEED = 0xf11d3c;
const real = sampleEvents();
const ids = [sample.parent, sample.child, sample.parentUserMessage, sample.taskPart, sample.finalMessage, "ses_other", "msg_x", "prt_x", ""];

function randomValue(r: Prng, depth = 0): unknown {
  switch (r.int(depth > 2 ? 8 : 11)) {
    case 0: return null;
    case 1: return r.pick([0, -1, 1.5, 1e308, -0, Number.MAX_SAFE_INTEGER]);
    case 2: return r.pick(ids);
    case 3: return r.chance(0.1) ? "y".repeat(256 * 1024 + r.int(768 * 1024)) : "s".repeat(r.int(40));
    case 4: return r.chance(0.5);
    case 5: return r.pick(["session.updated", "message.updated", "message.part.updated", "message.part.delta", "task", "tool", "user", "assistant", "completed"]);
    case 6: return [];
    case 7: return {};
    case 8: return Array.from({ length: r.int(4) }, () => randomValue(r, depth + 1));
    case 9: return Object.fromEntries(Array.from({ length: r.int(4) }, (_, i) => [r.pick(["id", "type", "properties", "sessionID", "info", "part", `k${i}`]), randomValue(r, depth + 1)]));
    default: return undefined;
  }
}

// Replaces or deletes one value somewhere inside a copy of a real event.
function mutate(r: Prng, event: Record<string, unknown>): unknown {
  const copy = structuredClone(event);
  let node: Record<string, unknown> = copy;
  for (let hops = r.int(5); hops > 0; hops--) {
    const children = Object.keys(node).filter((k) => typeof node[k] === "object" && node[k] !== null);
    if (children.length === 0) break;
    node = node[r.pick(children)] as Record<string, unknown>;
  }
  const keys = Object.keys(node);
  const key = keys.length > 0 && r.chance(0.8) ? r.pick(keys) : "extra";
  const value = randomValue(r);
  if (value === undefined) delete node[key];
  else node[key] = value;
  return copy;
}

function garbage(r: Prng): unknown {
  switch (r.int(6)) {
    case 0: return Array.from({ length: r.int(200) }, () => String.fromCharCode(r.int(0x2fff))).join("");
    case 1: return JSON.stringify(r.pick(real)).slice(0, r.int(300));
    case 2: return randomValue(r);
    case 3: return { type: r.pick(["session.idle", "message.part.delta", "todo.updated", "permission.asked"]), properties: randomValue(r) };
    case 4: return `{"type":"message.part.delta","properties":${"[".repeat(r.int(5000))}`;
    default: return { id: 7, type: "message.updated", properties: { sessionID: sample.parent, info: randomValue(r) } };
  }
}

// Returns what is wrong with one push result (plain checks: expect() per event is slow).
function violations(result: PushResult, lastSeq: Map<string, number>): string[] {
  const problems: string[] = [];
  for (const event of result.events) {
    if (!SessionEvent.safeParse(event).success) problems.push(`invalid event ${event.kind}`);
    if (event.seq !== (lastSeq.get(event.rootSessionId) ?? 0) + 1) problems.push(`seq ${event.seq} out of order`);
    lastSeq.set(event.rootSessionId, event.seq);
    // A turn always belongs to the session of the event, never to another one.
    if ("turnId" in event && event.turnId !== undefined && !event.turnId.startsWith(`${event.sessionId}:`)) {
      problems.push(`turn ${event.turnId} in session ${event.sessionId}`);
    }
  }
  for (const rejection of result.rejected) if (!Rejection.safeParse(rejection).success) problems.push("invalid rejection");
  if (result.ignored && result.events.length > 0) problems.push("ignored input produced events");
  return problems;
}

describe("fuzzing the normalizer", () => {
  it("survives 10,000 random, malformed and mutated events with sound output", () => {
    const r = prng(SEED);
    const normalizer = new Normalizer();
    const lastSeq = new Map<string, number>();
    const stats = { events: 0, rejected: 0, ignored: 0 };
    const problems: string[] = [];
    // Every 1000th input is a valid 2 MB delta of the final answer: big payloads must flow.
    const huge = delta(sample.parent, sample.finalMessage, sample.finalTextPart, "z".repeat(2 * 1024 * 1024));
    let hugeDeltas = 0;
    for (let i = 0; i < 10_000; i++) {
      const base = real[i % real.length] as Record<string, unknown>;
      const input = i % 1000 === 999 ? huge : r.chance(0.3) ? base : r.chance(0.6) ? mutate(r, base) : garbage(r);
      const result = normalizer.push(input);
      hugeDeltas += result.events.filter((e) => e.kind === "part.delta" && e.delta.length === 2 * 1024 * 1024).length;
      problems.push(...violations(result, lastSeq).map((p) => `input ${i}: ${p}`));
      stats.events += result.events.length;
      stats.rejected += result.rejected.length;
      stats.ignored += result.ignored ? 1 : 0;
    }
    expect(problems).toEqual([]);
    expect(hugeDeltas).toBe(10);
    // The run exercised all three outcomes, not just one.
    expect(stats.events).toBeGreaterThan(100);
    expect(stats.rejected).toBeGreaterThan(100);
    expect(stats.ignored).toBeGreaterThan(100);
  });

  it("keeps the real stream flowing, unchanged, through interleaved garbage", () => {
    const clean = new Normalizer();
    const expected = real.flatMap((e) => clean.push(e).events);

    const r = prng(SEED + 1);
    const noisy = new Normalizer();
    const got: SessionEvent[] = [];
    let fed = 0;
    for (const event of real) {
      for (let n = r.int(4); n > 0; n--) {
        // Anything that is not a valid event, or a valid one about some other session tree.
        const input = r.chance(0.5) ? garbage(r) : mutate(r, event);
        const parsed = parseRawEvent(input);
        const foreign = parsed.ok && ![sample.parent, sample.child].includes(parsed.event.properties.sessionID);
        if (parsed.ok && !foreign) continue;
        fed++;
        got.push(...noisy.push(input).events);
      }
      got.push(...noisy.push(event).events);
    }
    expect(fed).toBeGreaterThan(100);
    expect(got.filter((e) => e.rootSessionId === sample.parent)).toEqual(expected);
  });
});
