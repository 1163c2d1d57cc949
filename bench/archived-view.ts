/**
 * The archived view as a person gets it: `/sessions/<id>?view=archive`, server-rendered by the
 * real Next app (`npm start`'s scripts/start.ts: builds when the sources changed, migrates,
 * serves) on the bench's own database once the bench server has stopped (embedded PGlite allows
 * one process at a time): time to first byte, the first page's whole HTML (an upper bound of
 * the first flush), the first contentful paint of the largest tree in Chromium, and the HTML
 * and JSON exports of the largest tree (time, size, and the app's peak RSS growth while they stream).
 */
import fs from "node:fs";
import http from "node:http";
import { launchChromium } from "./chromium";
import { signIn, startNext } from "./next-app";
import { round } from "./stats";

export type ArchivedTree = { label: string; sessionId: string; parts: number; runner: { ms: number; bytes: number } };

export type Row = (section: string, measure: string, flightdeck: string, baseline: string, ratio: number | string) => void;

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Times to the last byte of `samples` loads of a server-rendered page, after a warm-up, and its size. */
export async function loadPage(url: string, cookie: { name: string; value: string }, samples: number) {
  const headers = { cookie: `${cookie.name}=${cookie.value}` };
  await (await fetch(url, { headers })).arrayBuffer();
  const ms: number[] = [];
  let bytes = 0;
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    // Not followed: a redirect (to sign-in, say) is not the page.
    const res = await fetch(url, { headers, redirect: "manual" });
    if (!res.ok) throw new Error(`${url} answered ${res.status}`);
    bytes = (await res.arrayBuffer()).byteLength;
    ms.push(performance.now() - t);
  }
  return { ms, bytes };
}

/** Time to the first and to the last byte of one load, and its size. */
async function timedLoad(url: string, headers: Record<string, string>) {
  const t = performance.now();
  const res = await fetch(url, { headers, redirect: "manual" });
  if (!res.ok || !res.body) throw new Error(`${url} answered ${res.status}`);
  const reader = res.body.getReader();
  let firstByteMs = 0;
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
    if (!firstByteMs) firstByteMs = performance.now() - t;
    bytes += chunk.value.byteLength;
  }
  return { firstByteMs, ms: performance.now() - t, bytes };
}

/** Time to the first byte, to the last byte, and size of the server-rendered page (median of 3, after a warm-up). */
async function renderPage(url: string, cookie: { name: string; value: string }) {
  const headers = { cookie: `${cookie.name}=${cookie.value}` };
  await timedLoad(url, headers);
  const loads = [];
  for (let i = 0; i < 3; i++) loads.push(await timedLoad(url, headers));
  return {
    firstByteMs: median(loads.map((l) => l.firstByteMs)),
    ms: median(loads.map((l) => l.ms)),
    bytes: loads[0]!.bytes,
    html: await (await fetch(url, { headers })).text(),
  };
}

/** Resident memory of the app's processes (scripts/start.ts's group: the server, scripts/serve.mjs, and its workers), in bytes. */
function groupRss(pgid: number): number {
  let total = 0;
  for (const pid of fs.readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      if (Number(fields[2]) !== pgid) continue;
      total += Number(fields[21]) * 4096;
    } catch {
      // gone meanwhile
    }
  }
  return total;
}

/** The HTML export of a tree: time, size, and the app's peak RSS growth (sampled every 20 ms) while it streams. */
async function exportRun(url: string, cookie: { name: string; value: string }, pgid: number) {
  const before = groupRss(pgid);
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, groupRss(pgid))), 20);
  try {
    const load = await timedLoad(url, { cookie: `${cookie.name}=${cookie.value}` });
    return { ...load, rssBefore: before, rssGrowth: Math.max(0, peak - before) };
  } finally {
    clearInterval(sampler);
  }
}

/** Serves one fixed document; its assets come from the app (a <base> points there). */
async function staticCopy(html: string, appOrigin: string) {
  const body = html.replace(/<head>/, `<head><base href="${appOrigin}/">`);
  const server = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(body));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** First contentful paint in Chromium, median of 3 fresh pages. */
async function firstContentfulPaint(url: string, cookie?: { name: string; value: string }): Promise<number> {
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let i = 0; i < 3; i++) {
      const page = await browser.newPage();
      if (cookie) await page.context().addCookies([{ ...cookie, url }]);
      await page.goto(url, { waitUntil: "load", timeout: 120_000 });
      samples.push(
        await page.evaluate(
          () =>
            new Promise<number>((resolve) => {
              new PerformanceObserver((list) => {
                const entry = list.getEntriesByName("first-contentful-paint")[0];
                if (entry) resolve(entry.startTime);
              }).observe({ type: "paint", buffered: true });
            }),
        ),
      );
      await page.close();
    }
    return median(samples);
  } finally {
    await browser.close();
  }
}

export async function benchArchivedView(opts: { dataDir: string; port: number; trees: ArchivedTree[]; row: Row; log: (line: string) => void }) {
  opts.log(`archived view: starting the Next app on port ${opts.port}`);
  const next = await startNext(opts.port, opts.dataDir);
  const origin = `http://127.0.0.1:${opts.port}`;
  const out: Record<string, unknown> = {};
  try {
    const cookie = await signIn(origin);
    for (const tree of opts.trees) {
      const page = await renderPage(`${origin}/sessions/${tree.sessionId}?view=archive`, cookie);
      out[tree.label] = { parts: tree.parts, firstByteMs: page.firstByteMs, ms: page.ms, bytes: page.bytes, runner: tree.runner };
      opts.row(`archived view ${tree.label}`, `time to first byte, /sessions/[id] (${tree.parts} parts; target <= 300 ms)`, `${round(page.firstByteMs)} ms`, `opencode GET /message ${round(tree.runner.ms)} ms`, page.firstByteMs / tree.runner.ms);
      opts.row(`archived view ${tree.label}`, "server render to the last byte (first page)", `${round(page.ms)} ms`, `opencode GET /message ${round(tree.runner.ms)} ms`, page.ms / tree.runner.ms);
      opts.row(`archived view ${tree.label}`, "HTML bytes of the first page (bounds the first flush; target <= 1 MB)", `${Math.round(page.bytes / 1024)} KB`, `opencode JSON ${Math.round(tree.runner.bytes / 1024)} KB`, page.bytes / tree.runner.bytes);
      if (tree !== opts.trees.at(-1)) continue;
      opts.log(`archived view: HTML export of the ${tree.parts}-part tree`);
      const exportUrl = `${origin}/api/archive/${tree.sessionId}/export?format=html`;
      const cold = await exportRun(exportUrl, cookie, next.pid);
      const warm = await exportRun(exportUrl, cookie, next.pid);
      out.export = { parts: tree.parts, cold, warm, treeJsonBytes: tree.runner.bytes };
      opts.row(`archived view ${tree.label}`, "HTML export, streamed (first / later export)", `${round(cold.ms)} / ${round(warm.ms)} ms, ${Math.round(warm.bytes / 1024)} KB`, `opencode GET /message ${round(tree.runner.ms)} ms`, warm.ms / tree.runner.ms);
      opts.row(`archived view ${tree.label}`, "app's peak RSS growth during the export (first / later)", `${Math.round(cold.rssGrowth / 2 ** 20)} / ${Math.round(warm.rssGrowth / 2 ** 20)} MB`, `tree as opencode JSON ${Math.round(tree.runner.bytes / 2 ** 20)} MB, file ${Math.round(warm.bytes / 2 ** 20)} MB`, warm.rssGrowth / warm.bytes);
      const json = await exportRun(`${origin}/api/archive/${tree.sessionId}/export?format=json`, cookie, next.pid);
      out.exportJson = { parts: tree.parts, ...json };
      opts.row(`archived view ${tree.label}`, "JSON export, streamed", `${round(json.ms)} ms, ${Math.round(json.bytes / 1024)} KB`, `opencode GET /message ${round(tree.runner.ms)} ms`, json.ms / tree.runner.ms);
      opts.row(`archived view ${tree.label}`, "app's peak RSS growth during the JSON export", `${Math.round(json.rssGrowth / 2 ** 20)} MB`, `file ${Math.round(json.bytes / 2 ** 20)} MB`, json.rssGrowth / json.bytes);
      opts.log(`archived view: first contentful paint of the ${tree.parts}-part tree in Chromium`);
      const copy = await staticCopy(page.html, origin);
      try {
        const served = await firstContentfulPaint(`${origin}/sessions/${tree.sessionId}?view=archive`, cookie);
        const fixed = await firstContentfulPaint(copy.url);
        out.fcp = { parts: tree.parts, ms: served, staticMs: fixed };
        opts.row(`archived view ${tree.label}`, "Chromium first contentful paint", `${round(served)} ms`, `same HTML as a static file ${round(fixed)} ms`, served / fixed);
      } finally {
        await copy.close();
      }
    }
  } finally {
    await next.stop();
  }
  return out;
}
