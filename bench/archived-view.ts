/**
 * The archived view as a person gets it: `/sessions/<id>?view=archive`, server-rendered by the
 * real Next app (`npm start`'s scripts/start.ts: builds when the sources changed, migrates,
 * serves) on the bench's own database once the bench server has stopped (embedded PGlite allows
 * one process at a time), and the first contentful paint of the largest tree in Chromium.
 */
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

/** Time to the last byte and size of the server-rendered page (median of 3, after a warm-up). */
async function renderPage(url: string, cookie: { name: string; value: string }) {
  const loads = await loadPage(url, cookie, 3);
  return { ms: median(loads.ms), bytes: loads.bytes, html: await (await fetch(url, { headers: { cookie: `${cookie.name}=${cookie.value}` } })).text() };
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
      out[tree.label] = { parts: tree.parts, ms: page.ms, bytes: page.bytes, runner: tree.runner };
      opts.row(`archived view ${tree.label}`, `server render, /sessions/[id] (${tree.parts} parts)`, `${round(page.ms)} ms`, `opencode GET /message ${round(tree.runner.ms)} ms`, page.ms / tree.runner.ms);
      opts.row(`archived view ${tree.label}`, "HTML bytes", `${Math.round(page.bytes / 1024)} KB`, `opencode JSON ${Math.round(tree.runner.bytes / 1024)} KB`, page.bytes / tree.runner.bytes);
      if (tree !== opts.trees.at(-1)) continue;
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
