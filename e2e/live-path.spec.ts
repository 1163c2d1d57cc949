import { expect, test, type APIRequestContext } from "@playwright/test";
import { setTimeout as sleep } from "node:timers/promises";
import { prng } from "../server/stream/fixtures/prng";
import type { SessionView, SnapshotState } from "../server/stream";
import { assistantText } from "../server/testing/assembled-text";
import { httpSessionChunks } from "../server/testing/http-session-events";
import { StreamViewer } from "../server/testing/stream-viewer";
import { mutate, query, startSession, waitForRun, waitUntilIdle } from "./helpers";
import { adminCookieHeader } from "./team-fixtures";

// The live path as another client sees it through `npm start`: `session.events` over HTTP/SSE,
// signed in with the admin's cookie. The outcomes are asserted (no gap, no duplicate, the same
// text), not how many disconnects a machine of this speed happened to fit into the run.

/** What `demo:long=<n>` makes the Demo model say (server/model/scenarios.ts). */
const longText = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}${(i + 1) % 20 === 0 ? "\n" : " "}`).join("");

async function runningSession(request: APIRequestContext, baseURL: string, prompt: string) {
  const sessionId = await startSession(request, prompt);
  const { opencodeId } = await query<{ opencodeId: string }>(request, "session.get", { sessionId });
  const source = httpSessionChunks(baseURL, sessionId, { cookie: adminCookieHeader() });
  return { sessionId, opencodeId, viewer: (turns = 1) => new StreamViewer(source, opencodeId, turns) };
}

/** The session as the store has it once the turn is over: a new viewer's first snapshot. */
async function storedState(session: Awaited<ReturnType<typeof runningSession>>): Promise<SnapshotState> {
  const fresh = session.viewer();
  await fresh.take(30_000);
  expect(fresh.finished, "a new viewer's snapshot shows the finished turn").toBe(true);
  return fresh.state;
}

/** What a viewer shows of the root session's parts: kind, text, tool call state and output. */
function shownParts(state: SnapshotState, opencodeId: string): string[] {
  const parts = Object.values(state.sessions[opencodeId]?.parts ?? {});
  return parts.map((p) => JSON.stringify([p.id, p.type, p.text, p.tool?.status, p.tool?.output])).sort();
}

type OlderPage = { parts: SessionView["parts"] };

/**
 * A snapshot holds the latest parts of a long session (a window); the view pages the rest in
 * as its reader scrolls up (`session.olderParts`, before the earliest part it holds), as here.
 */
async function withOlderParts(request: APIRequestContext, sessionId: string, state: SnapshotState, opencodeId: string): Promise<SnapshotState> {
  const view = state.sessions[opencodeId]!;
  const parts = { ...view.parts };
  for (;;) {
    const before = Object.keys(parts).sort()[0];
    if (!before) break;
    const page = await query<OlderPage>(request, "session.olderParts", { sessionId, member: opencodeId, before });
    if (Object.keys(page.parts).length === 0) break;
    Object.assign(parts, page.parts);
  }
  return { ...state, sessions: { ...state.sessions, [opencodeId]: { ...view, parts } } };
}

test("a viewer whose connection keeps dropping resumes with its last id: no gap, no duplicate, the whole text", async ({ request, baseURL }) => {
  // 3,000 words at the Demo model's pace (20 ms each) stream for about a minute.
  test.setTimeout(180_000);
  const deltas = 3_000;
  const session = await runningSession(request, baseURL!, `Stream it. demo:long=${deltas}`);
  const viewer = session.viewer();
  const random = prng(14);
  let connections = 0;
  while (!viewer.finished) {
    // Disconnect after a random time (0 = while connecting), wherever the stream is then.
    await viewer.take(random.int(400));
    connections++;
    // Now and then stay away for a while, as a tab in the background or a flaky network would.
    if (random.chance(0.1)) await sleep(random.int(3_000));
  }
  await waitUntilIdle(request, session.sessionId);
  console.info(`reconnect storm over SSE: ${connections} connections, ${viewer.snapshots} snapshots, ${viewer.seen.size} events`);

  expect(viewer.gaps).toBe(0);
  expect(viewer.duplicates).toBe(0);
  const text = assistantText(viewer.state, session.opencodeId);
  expect(text).toBe(longText(deltas));
  expect(text).toBe(assistantText(await storedState(session), session.opencodeId));
});

test("a viewer that stops reading does not hold back another, and catches up once it reads again", async ({ request, baseURL }) => {
  // About 1.7 min on a quiet machine; a loaded one (other tests on its two cores) takes longer.
  test.setTimeout(300_000);
  // First 1,500 tool calls: about 5 MB of events, far more than a connection's buffers hold.
  // Measured with `ss` while this ran: the slow connection's receive queue stays full (~130 KB)
  // and the server's send queue grows to MBs, so the server itself is pushed back on. Then a
  // steady text stream, one word every 20 ms, whose cadence the fast viewer must keep.
  const calls = 1_500;
  const deltas = 1_000;
  const session = await runningSession(request, baseURL!, `Read them. demo:tools=${calls}`);
  const fast = session.viewer(2);
  const slow = session.viewer(2);
  let resume!: () => void;
  const reading = new Promise<void>((resolve) => (resume = resolve));
  // After its first message the slow viewer reads nothing more until resumed.
  const slowDone = slow.take(290_000, () => reading);
  let textFrom = Infinity;
  const textArrivals: number[] = [];
  const fastDone = fast.take(290_000, (chunk) => {
    const now = performance.now();
    if (now > textFrom && chunk.data.some((e) => e.kind === "part.delta")) textArrivals.push(now);
  });
  await waitForRun(request, session.sessionId, 180_000);
  textFrom = performance.now();
  await mutate(request, "session.prompt", { sessionId: session.sessionId, text: `Stream it. demo:long=${deltas}` });
  await fastDone;

  expect(fast.finished).toBe(true);
  const tools = Object.values(fast.state.sessions[session.opencodeId]!.parts).filter((p) => p.tool?.status === "completed");
  expect(tools).toHaveLength(calls);
  expect(assistantText(fast.state, session.opencodeId).endsWith(longText(deltas))).toBe(true);
  expect(slow.finished).toBe(false);
  expect(slow.seen.size).toBeLessThan(fast.seen.size);
  // The fast viewer got the words at the stream's own pace all along: one held back by the
  // slow viewer would have waited with it (it reads nothing until the fast one is done).
  const waits = textArrivals.slice(1).map((at, i) => at - textArrivals[i]!).sort((a, b) => a - b);
  const p99 = waits[Math.floor(waits.length * 0.99)] ?? 0;
  console.info(`fast viewer: ${textArrivals.length} text messages, wait p99 ${p99.toFixed(0)} ms, max ${waits.at(-1)?.toFixed(0)} ms`);
  expect(waits.length).toBeGreaterThan(100);
  expect(p99).toBeLessThan(1_000);

  resume();
  await slowDone;
  // Its connection may have ended meanwhile (the server gave up on it): a client reconnects.
  while (!slow.finished) await slow.take(60_000);
  console.info(`slow viewer: ${slow.snapshots} snapshots, ${slow.seen.size} events`);
  expect(slow.gaps).toBe(0);
  expect(slow.duplicates).toBe(0);
  expect(fast.gaps + fast.duplicates).toBe(0);
  const shown = shownParts(fast.state, session.opencodeId);
  // A snapshot of the 1,500-call session holds its latest parts; the rest is paged in.
  expect(shownParts(await withOlderParts(request, session.sessionId, slow.state, session.opencodeId), session.opencodeId)).toEqual(shown);
  expect(shownParts(await withOlderParts(request, session.sessionId, await storedState(session), session.opencodeId), session.opencodeId)).toEqual(shown);
});
