/**
 * `npm run bench`: Flightdeck measured against opencode itself, on this machine, in one run.
 * Every figure comes with the baseline it is compared to, measured in the same run.
 * Not a test: it prints a table and writes bench/results/<date>.json.
 *
 * Everything goes through the app users run, `npm start` (bench/next-app.ts): the live sections
 * with the embedded runner and the Demo model (bench/live-app.ts), then the archived view,
 * health and traces on the same data with the runner off; the cluster section starts
 * instances of its own (bench/cluster.ts).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { firstSnapshot, trpcMutation } from "./client";
import { fanOutRun, liveRounds } from "./live-run";
import { writeResults } from "./results-file";
import { round } from "./stats";
import { benchArchiveSync } from "./sync";
import { RunnerSource } from "~/server/archive/runner-source";
import { benchArchivedView, type ArchivedTree } from "./archived-view";
import { benchBigEvent } from "./big-event";
import { benchCluster } from "./cluster";
import { benchHealth } from "./health";
import { growTree, startLiveApp, type LiveApp } from "./live-app";
import { benchSearch } from "./search";
import { benchIndexWriteCost } from "./search-index-cost";
import { growSearchSource, type SearchSource } from "./search-source";
import { benchStreamedTrees } from "./streamed-trees";
import { openToFirstRows } from "./live-open";
import { benchTraces } from "./traces";
import { basicAuth } from "~/server/runtime/health";
import { sleep } from "./wait";

const PORT = Number(process.env.BENCH_PORT ?? 3332);
const started = Date.now();
const log = (line: string) => console.log(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${line}`);

type Row = { section: string; measure: string; flightdeck: string; baseline: string; ratio: string };
const rows: Row[] = [];
const results: Record<string, unknown> = {};

function row(section: string, measure: string, flightdeck: string, baseline: string, ratio: number | string) {
  rows.push({ section, measure, flightdeck, baseline, ratio: typeof ratio === "number" ? `${round(ratio, 2)}x` : ratio });
}

async function bridgeOverhead(app: LiveApp) {
  const rounds = Number(process.env.BENCH_OVERHEAD_ROUNDS ?? 6);
  for (const [sessions, viewers, deltas] of [
    [1, 1, 5000],
    [10, 10, 1000],
  ] as const) {
    log(`bridge overhead: ${sessions} session(s) x ${viewers} viewer(s), demo:long=${deltas}, ${rounds} rounds`);
    const run = await liveRounds(app, sessions, viewers, deltas, rounds, log);
    const key = `${sessions}x${viewers}`;
    results[`overhead_${key}`] = run;
    const l = run.latency;
    row(`bridge ${key}`, `added latency p50/p95/p99 (${run.rounds} rounds, ${l.n} records)`, `+${round(l.p50)}/${round(l.p95)}/${round(l.p99)} ms`, "opencode /event (0 ms by definition)", "-");
    row(`bridge ${key}`, "throughput (text chars/s)", `${Math.round(run.directCharsPerSecond * run.throughputRatio)}`, `${Math.round(run.directCharsPerSecond)}`, run.throughputRatio);
  }
}

async function fanOut(app: LiveApp, tiers: number[]) {
  // Opens the app's inspector, whose own memory would otherwise count in the first tier's figure.
  await app.collectGarbage();
  const idle = app.usage().rss;
  for (const viewers of tiers) {
    log(`fan-out: ${viewers} viewers of one live session`);
    const run = await fanOutRun(app, viewers, log);
    results[`fanout_${viewers}`] = run;
    if ("notCompleted" in run) {
      // Reported, not fatal: what the app cannot serve is a result too.
      log(`fan-out ${viewers}: not completed: ${run.notCompleted}`);
      row(`fan-out ${viewers}`, "not completed", "-", "-", run.notCompleted);
      return false;
    }
    row(`fan-out ${viewers}`, "time until every viewer has its snapshot", `${round(run.openMs / 1000)} s`, "-", "-");
    row(`fan-out ${viewers}`, "delivery lag p50/p99 vs /event", `+${round(run.latency.p50)}/${round(run.latency.p99)} ms`, "opencode /event", "-");
    row(`fan-out ${viewers}`, "app RSS per viewer (no forced GC)", `${round(run.perViewerKb)} KB`, `idle app ${Math.round(idle / 2 ** 20)} MB`, `${round((run.perViewerKb * 1024 * 100) / idle, 3)}% each`);
    if (run.heldPerViewerKb !== undefined) row(`fan-out ${viewers}`, "app RSS per viewer held (after a full GC)", `${round(run.heldPerViewerKb)} KB`, "target 64 KB", run.heldPerViewerKb / 64);
    row(`fan-out ${viewers}`, "CPU seconds (app vs runner)", `${round(run.appCpuSeconds, 2)} s`, `${round(run.runnerCpuSeconds, 2)} s`, run.appCpuSeconds / run.runnerCpuSeconds);
  }
  return true;
}

/** `n` sessions that each answered one prompt, all idle again. */
async function idleSessions(app: LiveApp, n: number) {
  const sessions = await Promise.all(Array.from({ length: n }, () => app.createSession()));
  await Promise.all(sessions.map((s) => app.prompt(s.id, "Hello. demo:text")));
  for (const s of sessions) await app.waitIdle(s.id, 1, 120_000);
}

async function memory(app: LiveApp) {
  log("memory: 0 and 50 idle sessions");
  // Read from /proc a while after the last request: no collection can be forced from outside.
  await sleep(5000);
  const empty = app.usage().rss;
  await idleSessions(app, 50);
  await sleep(5000);
  const fifty = app.usage().rss;
  results.memory = { empty, fifty };
  row("memory", "app RSS, 50 idle sessions (no forced GC)", `${Math.round(fifty / 2 ** 20)} MB`, `0 sessions: ${Math.round(empty / 2 ** 20)} MB`, fifty / empty);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function runnerMessages(app: LiveApp, opencodeId: string) {
  const headers: Record<string, string> = app.endpoint.credentials ? { authorization: basicAuth(app.endpoint.credentials) } : {};
  const t = performance.now();
  const res = await fetch(`${app.endpoint.url}/session/${opencodeId}/message?directory=${encodeURIComponent(app.directory)}`, { headers });
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - t, bytes };
}

/**
 * Session trees of about 100, 1,000 and 10,000 parts (BENCH_TREES), grown through the real
 * runner with the Demo model (`demo:tools`, up to 2,000 tool calls a turn).
 */
type GrownTree = ArchivedTree & { opencodeId: string };

async function growTrees(app: LiveApp, budgetMs: number) {
  const built: GrownTree[] = [];
  let msPerPart = 0;
  const targets = (process.env.BENCH_TREES ?? "100,1000,10000").split(",").map(Number);
  for (const target of targets) {
    const label = target.toLocaleString("en-US");
    // Stop rather than blow the bench's time budget: say what was not measured.
    if (msPerPart && Date.now() - started + msPerPart * target > budgetMs) {
      row(`trees ${label}`, "not built", "-", "-", `building ${label} parts (~${Math.round((msPerPart * target) / 1000)} s here) would pass the bench's time budget`);
      break;
    }
    const session = await app.createSession();
    const t = Date.now();
    const { parts } = await growTree(app, session.id, target, (line) => log(`tree ${label}: ${line}`));
    msPerPart = (Date.now() - t) / parts;
    built.push({ label, sessionId: session.id, opencodeId: session.opencodeId, parts, runner: { ms: 0, bytes: 0 } });
  }
  return built;
}

/**
 * For each tree: what a live viewer gets first through `npm start`, from the request to the last
 * byte of the `session.events` snapshot record, and the page opened in Chromium to its first
 * rows, against opencode's own message list.
 */
async function liveSnapshots(app: LiveApp, built: GrownTree[]) {
  const measured: Record<string, unknown> = {};
  for (const tree of built) {
    const renders = [];
    const baselines = [];
    for (let i = 0; i < 3; i++) {
      renders.push(await firstSnapshot(app.client, tree.sessionId));
      baselines.push(await runnerMessages(app, tree.opencodeId));
    }
    const ms = median(renders.map((r) => r.ms));
    const bytes = renders[0]!.bytes;
    tree.runner = { ms: median(baselines.map((r) => r.ms)), bytes: baselines[0]!.bytes };
    const open = await openToFirstRows(app.client, tree.sessionId);
    measured[tree.label] = { parts: tree.parts, ms, bytes, openToFirstRowsMs: open.firstRows, openToLiveRowsMs: open.liveRows, runnerMs: tree.runner.ms, runnerBytes: tree.runner.bytes };
    row(`live view ${tree.label}`, `first snapshot via session.events, request to last byte (${tree.parts} parts)`, `${round(ms)} ms`, `opencode GET /message ${round(tree.runner.ms)} ms`, ms / tree.runner.ms);
    row(`live view ${tree.label}`, "snapshot bytes (target <= 2 MB)", `${Math.round(bytes / 1024)} KB`, `${Math.round(tree.runner.bytes / 1024)} KB`, bytes / tree.runner.bytes);
    row(`live view ${tree.label}`, "Chromium, open to first rows (target <= 1.5 s)", `${round(open.firstRows)} ms`, `opencode GET /message ${round(tree.runner.ms)} ms`, open.firstRows / tree.runner.ms);
    row(`live view ${tree.label}`, "Chromium, open to the live list (after the snapshot)", `${round(open.liveRows)} ms`, `opencode GET /message ${round(tree.runner.ms)} ms`, open.liveRows / tree.runner.ms);
  }
  results.trees = measured;
}

function printTable() {
  const header: Row = { section: "section", measure: "measure", flightdeck: "Flightdeck", baseline: "baseline (same run)", ratio: "ratio" };
  const all = [header, ...rows];
  const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
  const line = (r: Row) => (Object.keys(header) as (keyof Row)[]).map((k) => r[k].padEnd(width(k))).join(" | ");
  console.log(`\n${line(header)}\n${(Object.keys(header) as (keyof Row)[]).map((k) => "-".repeat(width(k))).join("-|-")}`);
  for (const r of rows) console.log(line(r));
}

const SECTIONS = ["memory", "overhead", "fanout", "streamedtrees", "bigevent", "trees", "health", "traces", "search", "cluster"] as const;
type Section = (typeof SECTIONS)[number];
// What runs on the live app (embedded runner on); the rest reads its data afterwards.
const LIVE: Section[] = ["memory", "overhead", "fanout", "streamedtrees", "bigevent", "trees", "health", "search"];

async function main() {
  const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 14 * 60_000);
  const streamedTrees = Number(process.env.BENCH_STREAMED_TREES ?? 10_000);
  const only = process.env.BENCH_SECTIONS?.split(",");
  const unknown = only?.filter((name) => !SECTIONS.includes(name as Section));
  if (unknown?.length) throw new Error(`BENCH_SECTIONS: unknown section(s) ${unknown.join(", ")} (known: ${SECTIONS.join(", ")})`);
  const wanted = (name: Section) => !only || only.includes(name);
  // The live app's data (database, runner files), kept for the archived view, health and traces.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-bench-"));
  const needsLiveApp = LIVE.some(wanted);
  if (needsLiveApp) log(`starting the app (npm start, embedded runner, PGlite) on port ${PORT}; it builds first when its sources changed`);
  let app: LiveApp | undefined = needsLiveApp ? await startLiveApp(PORT, dataDir) : undefined;
  try {
    let built: GrownTree[] = [];
    let searchSource: SearchSource | undefined;
    if (app) {
      log(`app up: server at ${Math.round(app.usage().rss / 2 ** 20)} MB RSS, runner at ${app.endpoint.url}`);
      if (wanted("memory")) await memory(app);
      if (wanted("overhead")) await bridgeOverhead(app);
      if (wanted("fanout")) await fanOut(app, [10, 100, 1000]);
      // Before the big event, whose 16 MB strings would make the starting RSS a high-water mark.
      if (wanted("streamedtrees")) results.streamedTrees = await benchStreamedTrees(app, streamedTrees, row, log);
      if (wanted("bigevent")) results.bigEvent = await benchBigEvent(app, row, log);
      if (wanted("trees")) {
        // Leaves time for the archive sync and the archived view.
        built = await growTrees(app, budgetMs - 3 * 60_000);
        await liveSnapshots(app, built);
        const largest = built.at(-1)!;
        log(`archive sync of the ${largest.parts}-part tree: full, then incremental after one more turn`);
        const live = app;
        results.sync = await benchArchiveSync({
          source: new RunnerSource(live.endpoint, live.directory),
          sourceName: "runner",
          runnerId: live.runnerId,
          runnerUrl: live.endpoint.url,
          opencodeId: largest.opencodeId,
          parts: largest.parts,
          oneMoreTurn: async () => {
            const turns = await live.turnCount(largest.sessionId);
            await live.prompt(largest.sessionId, "One more. demo:text");
            await live.waitIdle(largest.sessionId, turns + 1, 120_000);
          },
          row,
        });
        // The archived view reads the archive: the trees are synced now, as "sync now" does,
        // rather than left to the idle sync or to the app's shutdown.
        for (const tree of built) await trpcMutation(app.client, "archive.sync", { sessionId: tree.sessionId });
      }
      if (wanted("search")) {
        log("search: growing the tree the search section copies");
        searchSource = await growSearchSource(app, dataDir, Number(process.env.BENCH_SEARCH_PARTS ?? 1000), log);
      }
      // What the health section's list queries read: the memory section's sessions, or as many.
      if (wanted("health") && !wanted("memory")) {
        log("health: 50 sessions for session.list to read");
        await idleSessions(app, 50);
      }
      await app.stop();
      app = undefined;
    }
    if (built.length > 0) {
      results.archivedView = await benchArchivedView({ dataDir, port: PORT + 1, trees: built, row, log });
    }
    if (wanted("health")) results.health = await benchHealth({ dataDir, port: PORT + 1, row, log });
    if (wanted("traces")) results.traces = await benchTraces({ dataDir, port: PORT + 1, row, log });
    if (searchSource) {
      const trees = Number(process.env.BENCH_SEARCH_TREES ?? 1000);
      // Pairs of writes, with and without the index: their ratios scatter by a fifth on a busy machine.
      const writerPairs = Number(process.env.BENCH_writerPairs ?? 11);
      // BENCH_SEARCH_TREES=0: only what the index costs the writer, without the archive (minutes, not an hour).
      results.search =
        trees > 0
          ? await benchSearch({ source: searchSource, trees, port: PORT + 1, writerRepetitions: writerPairs, row, log })
          : { writer: await benchIndexWriteCost({ raw: searchSource.events, directory: searchSource.directory, repetitions: writerPairs, row, log }) };
    }
    // Instances of its own, on PostgreSQL and Redis, with a standalone runner: after the live app stopped.
    if (wanted("cluster")) results.cluster = await benchCluster({ port: PORT + 10, viewers: Number(process.env.BENCH_CLUSTER_VIEWERS ?? 1000), row, log });
  } finally {
    await app?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  printTable();
  writeResults(undefined, started, { transport: "npm start (scripts/serve.mjs: subscriptions in front of Next): tRPC over HTTP/SSE at /api/trpc", rows, results });
  // Streams a saturated app never answered would keep this process alive.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
