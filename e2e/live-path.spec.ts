import { expect, test, type APIRequestContext } from "@playwright/test";
import { setTimeout as sleep } from "node:timers/promises";
import { prng } from "../server/stream/fixtures/prng";
import { assistantText } from "../server/testing/assembled-text";
import { httpSessionChunks } from "../server/testing/http-session-events";
import { StreamViewer } from "../server/testing/stream-viewer";
import { query, startSession, waitUntilIdle } from "./helpers";
import { adminCookieHeader } from "./team-fixtures";

// The live path as another client sees it through `npm start`: `session.events` over HTTP/SSE,
// signed in with the admin's cookie. The outcomes are asserted (no gap, no duplicate, the same
// text), not how many disconnects a machine of this speed happened to fit into the run.

/** What `demo:long=<n>` makes the Demo model say (server/model/scenarios.ts). */
const longText = (n: number) => Array.from({ length: n }, (_, i) => `${i + 1}${(i + 1) % 20 === 0 ? "\n" : " "}`).join("");

async function streamingSession(request: APIRequestContext, baseURL: string, deltas: number) {
  const sessionId = await startSession(request, `Stream it. demo:long=${deltas}`);
  const { opencodeId } = await query<{ opencodeId: string }>(request, "session.get", { sessionId });
  const source = httpSessionChunks(baseURL, sessionId, { cookie: adminCookieHeader() });
  return { sessionId, opencodeId, viewer: () => new StreamViewer(source, opencodeId) };
}

/** The text as the store has it once the turn is over: a new viewer's first snapshot. */
async function storedText(session: Awaited<ReturnType<typeof streamingSession>>): Promise<string> {
  const fresh = session.viewer();
  await fresh.take(30_000);
  expect(fresh.finished, "a new viewer's snapshot shows the finished turn").toBe(true);
  return assistantText(fresh.state, session.opencodeId);
}

test("a viewer whose connection keeps dropping resumes with its last id: no gap, no duplicate, the whole text", async ({ request, baseURL }) => {
  // 3,000 words at the Demo model's pace (20 ms each) stream for about a minute.
  test.setTimeout(180_000);
  const deltas = 3_000;
  const session = await streamingSession(request, baseURL!, deltas);
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
  expect(text).toBe(await storedText(session));
});

test("a viewer that stops reading does not hold back another, and catches up once it reads again", async ({ request, baseURL }) => {
  test.setTimeout(180_000);
  const deltas = 2_000;
  const session = await streamingSession(request, baseURL!, deltas);
  const fast = session.viewer();
  const slow = session.viewer();
  let resume!: () => void;
  const reading = new Promise<void>((resolve) => (resume = resolve));
  const arrivals: number[] = [];
  // After its first message the slow viewer reads nothing more until resumed: what the server
  // sends it waits in its connection (and TCP pushes back once the buffers are full).
  const slowDone = slow.take(170_000, () => reading);
  await fast.take(170_000, () => void arrivals.push(performance.now()));

  expect(fast.finished).toBe(true);
  expect(assistantText(fast.state, session.opencodeId)).toBe(longText(deltas));
  expect(slow.finished).toBe(false);
  expect(slow.seen.size).toBeLessThan(fast.seen.size);
  // The fast viewer got its messages at the stream's own cadence all along: a viewer held back
  // by the slow one would have waited for it for the whole run.
  const waits = arrivals.slice(1).map((at, i) => at - arrivals[i]!).sort((a, b) => a - b);
  const p99 = waits[Math.floor(waits.length * 0.99)] ?? 0;
  console.info(`fast viewer: ${arrivals.length} messages, wait p99 ${p99.toFixed(0)} ms, max ${waits.at(-1)?.toFixed(0)} ms`);
  expect(p99).toBeLessThan(1_000);

  resume();
  await slowDone;
  // Its connection may have ended meanwhile (the server gave up on it): a client reconnects.
  while (!slow.finished) await slow.take(60_000);
  expect(slow.finished).toBe(true);
  expect(slow.gaps).toBe(0);
  expect(slow.duplicates).toBe(0);
  expect(assistantText(slow.state, session.opencodeId)).toBe(longText(deltas));
  expect(fast.gaps + fast.duplicates).toBe(0);
});
