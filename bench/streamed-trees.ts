/**
 * Many session trees streamed and closed through `npm start`: each one created, watched by one
 * viewer, prompted (`demo:text`), idle again, and its viewer gone; a number of them at once.
 * The app's RSS should come back to where it started: what a tree leaves behind once nobody
 * watches it is a leak. RSS is read from /proc a few seconds after the last viewer closed, then
 * again after a full collection asked through the app's inspector (bench/inspector.ts), and
 * sampled meanwhile for the peak.
 */
import type { Row } from "./archived-view";
import { viewSession } from "./client";
import type { LiveApp } from "./live-app";
import { round } from "./stats";
import { sleep, within } from "./wait";

const AT_ONCE = 20;
const SETTLE_MS = 5_000;

async function streamOneTree(app: LiveApp) {
  const session = await app.createSession();
  const ac = new AbortController();
  const viewer = viewSession(app.client, session, ac.signal);
  try {
    await within(viewer.opened, 60_000, "snapshot for the tree's viewer");
    await app.prompt(session.id, "Hello. demo:text");
    await app.waitIdle(session.id, 1, 120_000, 250);
  } finally {
    ac.abort();
    await viewer.done;
  }
}

export async function benchStreamedTrees(app: LiveApp, count: number, row: Row, log: (line: string) => void) {
  log(`streamed trees: ${count} trees, ${AT_ONCE} at a time`);
  await sleep(SETTLE_MS);
  const before = app.usage().rss;
  // The same reading after a full collection (through the app's inspector, as the fan-out's
  // "held" figure): what the trees left that is still referenced, without their garbage.
  await app.collectGarbage();
  const beforeCollected = app.usage().rss;
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, app.usage().rss)), 1_000);
  let started = 0;
  let done = 0;
  const progress = setInterval(() => log(`  ${done} of ${count} trees streamed and closed`), 30_000);
  const t = performance.now();
  try {
    await Promise.all(
      Array.from({ length: Math.min(AT_ONCE, count) }, async () => {
        while (started < count) {
          started++;
          await streamOneTree(app);
          done++;
        }
      }),
    );
  } finally {
    clearInterval(progress);
    clearInterval(sampler);
  }
  const seconds = (performance.now() - t) / 1000;
  await sleep(SETTLE_MS);
  const after = app.usage().rss;
  await app.collectGarbage();
  const afterCollected = app.usage().rss;
  const mb = (bytes: number) => `${Math.round(bytes / 2 ** 20)} MB`;
  row(`streamed trees ${count.toLocaleString("en-US")}`, `app RSS ${SETTLE_MS / 1000} s after the last closed (target within 10%); peak`, `${mb(after)}; ${mb(peak)}`, `before the first: ${mb(before)}`, after / before);
  row(`streamed trees ${count.toLocaleString("en-US")}`, "app RSS held, after a full GC", mb(afterCollected), `before the first, after a full GC: ${mb(beforeCollected)}`, afterCollected / beforeCollected);
  row(`streamed trees ${count.toLocaleString("en-US")}`, `time, ${AT_ONCE} at a time`, `${round(seconds)} s (${round((seconds * 1000) / count)} ms a tree)`, "-", "-");
  return { count, atOnce: AT_ONCE, before, after, peak, beforeCollected, afterCollected, seconds };
}
