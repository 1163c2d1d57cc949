/**
 * Traces of a 10,000-span tree (issue 13), through the real Next app (`npm start`) on the
 * bench's database: `trace.summary` latency, the first paint of the waterfall in Chromium,
 * frame gaps while scrolling and zooming it, and how many span rows the page holds.
 *
 * The tree is seeded straight into the database (server/traces/testing.ts, the fixture the
 * tests use) while no process holds it, before the Next app starts (embedded PGlite allows one
 * process at a time): growing 10,000 spans with parallel sub-agents through the runner would
 * take far longer than the bench. A tiny tree seeded next to it is the baseline of the
 * summary and of the first paint; the page's own frames while idle are that of the frame gaps.
 */
import fs from "node:fs";
import path from "node:path";
import { chromium, type Page } from "@playwright/test";
import { createDb } from "~/server/db";
import { seedTraceTree } from "~/server/traces/testing";
import type { Row } from "./archived-view";
import { signIn, startNext } from "./next-app";
import { round, summarize } from "./stats";

export const TARGETS = { summaryMs: 200, firstPaintMs: 1_000, frameGapP95Ms: 50, domRows: 300 } as const;

const ROW_SELECTOR = "[data-testid=waterfall] [data-testid=span-row]";
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Seeds the large tree and the baseline one into the database the Next app will serve. */
async function seedTrees(dataDir: string, spans: number) {
  const url = process.env.BENCH_DATABASE_URL;
  const database = await createDb(url ? { url } : { pgliteDir: path.join(dataDir, "pglite") });
  try {
    const large = await seedTraceTree(database.client, { spans, title: `Trace bench ${spans} spans` });
    const tiny = await seedTraceTree(database.client, { spans: 20, title: "Trace bench 20 spans", runnerId: large.runnerId });
    return { large, tiny };
  } finally {
    await database.close();
  }
}

/** `trace.summary` as the page calls it: time to the last byte, after a warm-up. */
async function summaryLatency(origin: string, cookie: string, sessionId: string, samples: number) {
  const url = `${origin}/api/trpc/trace.summary?input=${encodeURIComponent(JSON.stringify({ json: { sessionId } }))}`;
  const call = async () => {
    const t = performance.now();
    const res = await fetch(url, { headers: { cookie }, signal: AbortSignal.timeout(120_000) });
    const body = (await res.json()) as { result?: { data?: { json?: { spanCount?: number } } }; error?: unknown };
    if (!res.ok || !body.result) throw new Error(`trace.summary answered ${res.status}: ${JSON.stringify(body.error).slice(0, 300)}`);
    return { ms: performance.now() - t, spanCount: body.result.data?.json?.spanCount };
  };
  const first = await call();
  const ms: number[] = [];
  for (let i = 0; i < samples; i++) ms.push((await call()).ms);
  // The app keeps a tree's trace for 30 s (server/traces/cache.ts): once more after that, cold.
  await new Promise((r) => setTimeout(r, 31_000));
  const cold = [first.ms, (await call()).ms];
  return { ...summarize(ms), cold, spanCount: first.spanCount };
}

function launch() {
  const executablePath = process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE ?? (fs.existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);
  return chromium.launch({ executablePath, args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
}

/**
 * Records, in the page, when the first span row of the waterfall is drawn: checked at every
 * animation frame from the start, the time of the first frame that lays it out with a size (ms
 * since navigation start).
 */
const FIRST_ROW_PROBE = `(() => {
  const selector = ${JSON.stringify(ROW_SELECTOR)};
  const frame = (now) => {
    const row = document.querySelector(selector);
    const box = row && row.getBoundingClientRect();
    // Laid out with a size (the waterfall may start below the fold: its rows count once drawn).
    if (box && box.width > 0 && box.height > 0) window.__firstSpanRowMs = now;
    else requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
})();`;

/** Time to the waterfall's first visible span row on a fresh page (median of `runs`). */
async function firstPaint(browser: Awaited<ReturnType<typeof launch>>, url: string, cookie: { name: string; value: string }, runs: number) {
  const samples: number[] = [];
  const timings: { responseStart: number; responseEnd: number; domContentLoaded: number; load: number; bytes: number }[] = [];
  for (let i = 0; i < runs; i++) {
    const context = await browser.newContext({ viewport: { width: 1400, height: 1200 } });
    await context.addCookies([{ ...cookie, url }]);
    const page = await context.newPage();
    await page.addInitScript(FIRST_ROW_PROBE);
    await page.goto(url, { waitUntil: "commit", timeout: 120_000 });
    await page.locator(ROW_SELECTOR).first().waitFor({ state: "visible", timeout: 60_000 });
    const at = await page.waitForFunction(() => (window as { __firstSpanRowMs?: number }).__firstSpanRowMs, undefined, { timeout: 30_000 });
    samples.push((await at.jsonValue()) as number);
    // Where the time went: the server's answer, the document parsed, the page's scripts run.
    timings.push(
      await page.evaluate(() => {
        const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
        return { responseStart: Math.round(nav.responseStart), responseEnd: Math.round(nav.responseEnd), domContentLoaded: Math.round(nav.domContentLoadedEventEnd), load: Math.round(nav.loadEventEnd), bytes: nav.transferSize };
      }),
    );
    await context.close();
  }
  return { ms: median(samples), samples, timings };
}

type FramePass = { frames: number; gapP50: number; gapP95: number; maxGap: number; maxRows: number; reachedEnd: boolean; lastRowText: string };
type ZoomPass = FramePass & { zoomIns: number; zoomOuts: number };

/**
 * What runs in the page, as plain JavaScript (tsx would add helpers to compiled functions that
 * the page does not have): `window.__traceBench.{idleFrames, scrollPass, zoomPass}`, each
 * timing every animation frame while it works.
 */
export const PAGE_HELPERS = `(() => {
  const selector = ${JSON.stringify(ROW_SELECTOR)};
  const scrolls = (el) => el.scrollHeight > el.clientHeight + 1 && /(auto|scroll)/.test(getComputedStyle(el).overflowY);
  // The waterfall's scroll container: its grid, itself, the first element inside it that scrolls, or an ancestor.
  const scroller = () => {
    const root = document.querySelector("[data-testid=waterfall]");
    if (!root) throw new Error("no [data-testid=waterfall] in the page");
    const inside = [...root.querySelectorAll("[role=grid]"), root, ...root.querySelectorAll("*")].find(scrolls);
    if (inside) return inside;
    for (let el = root.parentElement; el; el = el.parentElement) if (scrolls(el)) return el;
    return document.scrollingElement || document.documentElement;
  };
  const stats = (gaps) => {
    const sorted = [...gaps].sort((a, b) => a - b);
    return { frames: gaps.length, gapP50: sorted[Math.floor(sorted.length * 0.5)] || 0, gapP95: sorted[Math.floor(sorted.length * 0.95)] || 0, maxGap: sorted[sorted.length - 1] || 0 };
  };
  // Calls work(frameNumber) on every frame until it returns true; resolves with the frame gaps.
  const frames = (work) => new Promise((resolve, reject) => {
    const gaps = [];
    let last = 0;
    let n = 0;
    const frame = (now) => {
      if (last) gaps.push(now - last);
      last = now;
      let done;
      try { done = work(n++, now); } catch (error) { reject(error); return; }
      if (done) resolve(gaps); else requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });
  const rows = () => document.querySelectorAll(selector).length;
  window.__traceBench = {
    idleFrames: (count) => frames((n) => n >= count),
    // Top to bottom, 90% of the viewport a frame (at most a minute).
    scrollPass: async () => {
      const el = scroller();
      el.scrollTop = 0;
      const step = Math.max(300, Math.round(el.clientHeight * 0.9));
      let maxRows = 0;
      let atEnd = 0;
      const started = performance.now();
      const gaps = await frames((n, now) => {
        maxRows = Math.max(maxRows, rows());
        atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - 1 ? atEnd + 1 : 0;
        if (atEnd >= 5 || now - started > 60000) return true;
        el.scrollTop += step;
        return false;
      });
      const bottom = el.getBoundingClientRect().bottom;
      const visible = [...document.querySelectorAll(selector)].filter((r) => r.getBoundingClientRect().top < bottom);
      const lastRow = visible[visible.length - 1];
      return { ...stats(gaps), maxRows, reachedEnd: atEnd >= 5, lastRowText: lastRow ? lastRow.textContent.slice(0, 200) : "" };
    },
    // Zoom in \`clicks\` times then out as many, a click every other frame, scrolling a little in between.
    zoomPass: async (clicks) => {
      const el = scroller();
      const control = (name) =>
        document.querySelector("[data-testid=zoom-" + name + "]") ||
        [...document.querySelectorAll("button")].find((b) => new RegExp("zoom " + name, "i").test([b.getAttribute("aria-label"), b.title, b.textContent].join(" ")));
      const zoomIn = control("in");
      const zoomOut = control("out");
      if (!zoomIn || !zoomOut) throw new Error("no zoom in/out controls found (data-testid zoom-in/zoom-out, or a button named Zoom in/out)");
      el.scrollTop = Math.round(el.scrollHeight / 3);
      let maxRows = 0;
      let zoomIns = 0;
      let zoomOuts = 0;
      const gaps = await frames((n) => {
        maxRows = Math.max(maxRows, rows());
        if (zoomIns + zoomOuts >= 2 * clicks) return true;
        if (n % 2 === 1) el.scrollTop += 120;
        else if (zoomIns < clicks) { zoomIn.click(); zoomIns++; }
        else { zoomOut.click(); zoomOuts++; }
        return false;
      });
      return { ...stats(gaps), maxRows, reachedEnd: true, lastRowText: "", zoomIns, zoomOuts };
    },
  };
})();`;

const idleFrames = (page: Page, count: number) => page.evaluate(`window.__traceBench.idleFrames(${count})`) as Promise<number[]>;
const scrollPass = (page: Page) => page.evaluate("window.__traceBench.scrollPass()") as Promise<FramePass>;
const zoomPass = (page: Page, clicks: number) => page.evaluate(`window.__traceBench.zoomPass(${clicks})`) as Promise<ZoomPass>;

/** Opens the waterfall once it has every span (the page says how many it holds, or stops loading). */
async function openLoaded(page: Page, url: string) {
  await page.goto(url, { waitUntil: "load", timeout: 120_000 });
  await page.locator(ROW_SELECTOR).first().waitFor({ state: "visible", timeout: 60_000 });
  // Later pages of spans arrive after the first paint: measured once the page is quiet.
  await page.waitForLoadState("networkidle", { timeout: 15_000 }).catch(() => undefined);
  await page.evaluate(PAGE_HELPERS);
}

export async function benchTraces(opts: { dataDir: string; port: number; row: Row; log: (line: string) => void; spans?: number }) {
  const spans = opts.spans ?? Number(process.env.BENCH_TRACE_SPANS ?? 10_000);
  const label = spans.toLocaleString("en-US");
  opts.log(`traces: seeding a ${label}-span tree and a 20-span one into the bench's database`);
  const { large, tiny } = await seedTrees(opts.dataDir, spans);
  opts.log(`traces: seeded ${large.counts.spans} spans (${large.counts.sessions} sessions, ${large.counts.toolCalls} tool calls) in ${Math.round(large.writeMs)} ms`);
  opts.log(`traces: starting the Next app on port ${opts.port}`);
  const next = await startNext(opts.port, opts.dataDir);
  const origin = `http://127.0.0.1:${opts.port}`;
  const out: Record<string, unknown> = { seeded: { ...large.counts, writeMs: large.writeMs }, targets: TARGETS };
  const section = `traces ${label} spans`;
  const verdict = (ok: boolean) => (ok ? "within target" : "OVER TARGET");
  try {
    const signedIn = await signIn(origin);
    const cookie = `${signedIn.name}=${signedIn.value}`;

    opts.log("traces: trace.summary, 20 calls each on the large and the tiny tree");
    const baseline = await summaryLatency(origin, cookie, tiny.rootSessionId, 20);
    const summary = await summaryLatency(origin, cookie, large.rootSessionId, 20);
    out.summary = { large: summary, tiny: baseline };
    if (summary.spanCount !== undefined && summary.spanCount !== large.counts.spans) {
      opts.log(`traces: trace.summary counts ${summary.spanCount} spans, the fixture wrote ${large.counts.spans}`);
    }
    opts.row(
      section,
      `trace.summary p50/p95, trace cached (target <= ${TARGETS.summaryMs} ms)`,
      `${round(summary.p50)} / ${round(summary.p95)} ms, ${verdict(summary.p95 <= TARGETS.summaryMs)}`,
      `20-span tree ${round(baseline.p50)} / ${round(baseline.p95)} ms`,
      summary.p50 / baseline.p50,
    );
    const cold = Math.max(...summary.cold);
    opts.row(
      section,
      `trace.summary cold (reads and builds the trace), 2 calls (target <= ${TARGETS.summaryMs} ms)`,
      `${summary.cold.map((ms) => round(ms)).join(" / ")} ms, ${verdict(cold <= TARGETS.summaryMs)}`,
      `20-span tree ${baseline.cold.map((ms) => round(ms)).join(" / ")} ms`,
      cold / Math.max(...baseline.cold),
    );

    const browser = await launch();
    // What the page cannot do is reported as such, and the rest is still measured.
    const notMeasured = (what: string, error: unknown) => {
      const message = (error instanceof Error ? error.message : String(error)).split("\n")[0]!.slice(0, 200);
      opts.log(`traces: ${what} not measured: ${message}`);
      opts.row(section, what, "not measured", "-", message);
      out.failures = [...((out.failures as string[] | undefined) ?? []), `${what}: ${message}`];
    };
    try {
      opts.log("traces: first paint of the waterfall in Chromium, 3 fresh pages each");
      try {
        const tinyPaint = await firstPaint(browser, `${origin}/sessions/${tiny.rootSessionId}/traces`, signedIn, 3);
        const paint = await firstPaint(browser, `${origin}/sessions/${large.rootSessionId}/traces`, signedIn, 3);
        out.firstPaint = { large: paint, tiny: tinyPaint };
        opts.row(
          section,
          `Chromium first waterfall paint, first span row visible (target <= ${TARGETS.firstPaintMs} ms)`,
          `${round(paint.ms)} ms (page served by ${median(paint.timings.map((t) => t.responseEnd))} ms), ${verdict(paint.ms <= TARGETS.firstPaintMs)}`,
          `20-span tree ${round(tinyPaint.ms)} ms`,
          paint.ms / tinyPaint.ms,
        );
      } catch (error) {
        notMeasured("Chromium first waterfall paint", error);
      }

      opts.log("traces: scrolling the waterfall top to bottom, then zooming in and out");
      try {
        const context = await browser.newContext({ viewport: { width: 1400, height: 1200 } });
        await context.addCookies([{ ...signedIn, url: origin }]);
        const page = await context.newPage();
        await openLoaded(page, `${origin}/sessions/${large.rootSessionId}/traces`);
        const idle = summarize(await idleFrames(page, 120));
        const scroll = await scrollPass(page);
        let zoom: ZoomPass | { error: string };
        try {
          zoom = await zoomPass(page, 10);
      } catch (error) {
        zoom = { error: error instanceof Error ? error.message : String(error) };
      }
      await context.close();
      out.frames = { idle, scroll, zoom };
      opts.row(
        section,
        `scroll top to bottom: frame gap p50/p95 (target p95 <= ${TARGETS.frameGapP95Ms} ms; ${scroll.frames} frames${scroll.reachedEnd ? "" : ", END NOT REACHED"})`,
        `${round(scroll.gapP50)} / ${round(scroll.gapP95)} ms (max ${round(scroll.maxGap)}), ${verdict(scroll.gapP95 <= TARGETS.frameGapP95Ms)}`,
        `same page idle ${round(idle.p50)} / ${round(idle.p95)} ms`,
        scroll.gapP95 / idle.p95,
      );
      if ("error" in zoom) {
        opts.row(section, "zoom in/out: frame gaps", "not measured", "-", zoom.error);
      } else {
        opts.row(
          section,
          `zoom ${zoom.zoomIns}x in, ${zoom.zoomOuts}x out: frame gap p50/p95 (target p95 <= ${TARGETS.frameGapP95Ms} ms)`,
          `${round(zoom.gapP50)} / ${round(zoom.gapP95)} ms (max ${round(zoom.maxGap)}), ${verdict(zoom.gapP95 <= TARGETS.frameGapP95Ms)}`,
          `same page idle ${round(idle.p50)} / ${round(idle.p95)} ms`,
          zoom.gapP95 / idle.p95,
        );
      }
      const maxRows = Math.max(scroll.maxRows, "error" in zoom ? 0 : zoom.maxRows);
      opts.row(
        section,
        `span rows in the DOM, most at once while scrolling and zooming (target <= ${TARGETS.domRows})`,
        `${maxRows}, ${verdict(maxRows <= TARGETS.domRows && maxRows > 0)}`,
        `${large.counts.spans} spans in the tree`,
        `${round((maxRows / large.counts.spans) * 100, 2)}%`,
      );
      } catch (error) {
        notMeasured("waterfall scrolling, zooming and DOM rows", error);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await next.stop();
  }
  return out;
}
