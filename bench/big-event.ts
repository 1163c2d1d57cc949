/**
 * One 16 MB runner event through `npm start`: a Demo model turn whose answer is one text delta
 * that large (`demo:big`), so opencode sends at least one event of that size. While it goes
 * through the app, `/api/health` is polled every 50 ms (alone first, as the baseline), and one
 * viewer and opencode's own /event stream time the answer's arrival (at the viewer: the first
 * record at least that large). Then the decoder's share of it, as a microbenchmark
 * (bench/sse-parse.ts).
 */
import type { Row } from "./archived-view";
import { followRunner, watchRecords } from "./client";
import { pollHealth } from "./health";
import type { LiveApp } from "./live-app";
import { benchSseParse } from "./sse-parse";
import { round } from "./stats";
import { waitFor, within } from "./wait";

// Decimal, as demo:big counts them: with its envelope, the event stays under the app's 16 MiB limit.
const MEGABYTES = 16;

export async function benchBigEvent(app: LiveApp, row: Row, log: (line: string) => void) {
  const origin = app.client.base;
  log("big event: /api/health alone");
  const alone = await pollHealth(origin, 40);
  const session = await app.createSession();
  const ac = new AbortController();
  const viewer = watchRecords(app.client, session.id, ac.signal);
  const direct = followRunner(app.endpoint, app.directory, session.opencodeId, ac.signal);
  await within(Promise.all([viewer.opened, direct.opened]), 60_000, "viewer and /event stream open");
  log(`big event: a ${MEGABYTES} MB answer in one delta (demo:big=${MEGABYTES}), /api/health polled meanwhile`);
  // opencode may trim the end of a finished text part.
  const whole = MEGABYTES * 1e6 - 100;
  const bigRecord = () => viewer.records.find((r) => r.bytes >= whole);
  let finished = false;
  const during = pollHealth(origin, 10_000, () => finished);
  const started = performance.now();
  try {
    await app.prompt(session.id, `One big answer. demo:big=${MEGABYTES}`);
    await app.waitIdle(session.id, 1, 180_000, 200);
    finished = true;
    await waitFor(() => Boolean(bigRecord()) && direct.total >= whole, 60_000, "the whole answer on both streams").catch((error: Error) =>
      log(`big event: ${error.message} (viewer's largest record ${Math.max(...viewer.records.map((r) => r.bytes))} bytes, /event ${direct.total} chars)`),
    );
  } finally {
    finished = true;
    ac.abort();
  }
  const turnMs = performance.now() - started;
  const health = await during;
  const viewerMs = (bigRecord()?.at ?? Number.NaN) - started;
  // When opencode's deltas had carried the whole answer.
  const directMs = (direct.at[direct.chars.findIndex((n) => n >= whole)] ?? Number.NaN) - started;
  const parse = benchSseParse(MEGABYTES);
  const figure = (s: { p50: number; p99: number }) => `${round(s.p50)} / ${round(s.p99)} ms`;
  row("big event 16 MB", `/api/health p50/p99 during the turn (${health.n} polls, target p99 50 ms)`, figure(health), `alone: ${figure(alone)}`, health.p99 / alone.p99);
  row("big event 16 MB", "whole answer at a viewer (one record), after the prompt", `${round(viewerMs / 1000, 2)} s`, `opencode /event ${round(directMs / 1000, 2)} s`, viewerMs / directMs);
  row("big event 16 MB", `runner SSE decoder, one ${round(parse.bytes / 1e6)} MB record in 64 KB chunks (target 100 ms)`, `${round(parse.decodeMs)} ms`, `JSON.parse of it ${round(parse.jsonParseMs)} ms`, parse.decodeMs / parse.jsonParseMs);
  if (health.failed + alone.failed) row("big event 16 MB", "health polls that failed", String(health.failed + alone.failed), "-", "-");
  return { alone, during: health, turnMs, viewerMs, directMs, parse };
}
