/**
 * Health under load: `/api/health` as an uptime check or load balancer polls it, through the
 * real Next app (`npm start`) on PGlite, alone (the baseline) and while 200 signed-in browsers'
 * worth of `session.list` calls run at once, each sent again as soon as it is answered.
 */
import http from "node:http";
import type { Row } from "./archived-view";
import { signIn, startNext } from "./next-app";
import { round, summarize } from "./stats";

const CONCURRENT_LISTS = 200;
const SAMPLES = 100;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether a GET answered 2xx (body read to the end); a refused or reset connection is a no. */
async function answered(url: string, cookie: string): Promise<boolean> {
  try {
    const res = await fetch(url, { headers: { cookie }, signal: AbortSignal.timeout(60_000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * One health check as an uptime checker makes it: its own connection, not one of the pool the
 * list callers keep busy (in this process they would queue behind them).
 */
function checkHealthOnce(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 60_000 }, (response) => {
      response.resume().on("end", () => resolve(response.statusCode === 200));
    });
    request.on("timeout", () => request.destroy());
    request.on("error", () => resolve(false));
  });
}

/**
 * `n` health requests one after another, a poll every 50 ms, or fewer once `done` says so (and
 * for at most 2 minutes: a health that takes seconds is measured on fewer samples): time to the
 * last byte.
 */
export async function pollHealth(origin: string, n: number, done: () => boolean = () => false) {
  const ms: number[] = [];
  let failed = 0;
  const until = Date.now() + 120_000;
  for (let i = 0; i < n && Date.now() < until && !done(); i++) {
    const t = performance.now();
    const ok = await checkHealthOnce(`${origin}/api/health`);
    ms.push(performance.now() - t);
    if (!ok) failed++;
    await sleep(50);
  }
  return { ...summarize(ms), failed };
}

/** `concurrency` callers of `session.list`, each calling again as soon as it has its answer. */
function listLoad(origin: string, cookie: string, concurrency: number) {
  const url = `${origin}/api/trpc/session.list?input=${encodeURIComponent(JSON.stringify({ json: { limit: 50 } }))}`;
  const ms: number[] = [];
  let failed = 0;
  let running = true;
  const callers = Array.from({ length: concurrency }, async () => {
    while (running) {
      const t = performance.now();
      if (await answered(url, cookie)) ms.push(performance.now() - t);
      else failed++;
    }
  });
  return {
    started: () => ms.length + failed,
    stop: async () => {
      running = false;
      await Promise.all(callers);
      return { ...summarize(ms), failed };
    },
  };
}

export async function benchHealth(opts: { dataDir: string; port: number; row: Row; log: (line: string) => void }) {
  opts.log(`health: starting the Next app on port ${opts.port}`);
  const next = await startNext(opts.port, opts.dataDir);
  const origin = `http://127.0.0.1:${opts.port}`;
  try {
    const { name, value } = await signIn(origin);
    const cookie = `${name}=${value}`;
    const warmUp = listLoad(origin, cookie, 5);
    await pollHealth(origin, 20);
    await warmUp.stop();
    opts.log(`health: ${SAMPLES} polls of /api/health, alone`);
    const alone = await pollHealth(origin, SAMPLES);
    opts.log(`health: ${SAMPLES} polls while ${CONCURRENT_LISTS} session.list calls run at once`);
    const load = listLoad(origin, cookie, CONCURRENT_LISTS);
    // Every caller has answers coming back before polling starts: the load is steady.
    while (load.started() < CONCURRENT_LISTS) await sleep(100);
    const loaded = await pollHealth(origin, SAMPLES);
    const lists = await load.stop();
    const figure = (s: { p50: number; p99: number }) => `${round(s.p50)} / ${round(s.p99)} ms`;
    opts.row("health", `/api/health p50/p99 under ${CONCURRENT_LISTS} concurrent session.list (${loaded.n} polls)`, figure(loaded), `alone: ${figure(alone)}`, loaded.p99 / alone.p99);
    opts.row("health", `session.list p50/p99 (${CONCURRENT_LISTS} at once, ${lists.n} calls)`, figure(lists), "-", "-");
    const failures = alone.failed + loaded.failed + lists.failed;
    if (failures) opts.row("health", "requests that failed", String(failures), "-", "-");
    return { alone, loaded, lists };
  } finally {
    await next.stop();
  }
}
