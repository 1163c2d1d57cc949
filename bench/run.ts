/**
 * `npm run bench`: Flightdeck measured against opencode itself, on this machine, in one run.
 * Every figure comes with the baseline it is compared to, measured in the same run.
 * Not a test: it prints a table and writes bench/results/<date>.json.
 *
 * The app runs as its own process (bench/server.ts: the real services and tRPC router over
 * HTTP/SSE, as `next start` serves /api/trpc, without Next's page rendering in front); the
 * archived view is measured last on the real Next app over the same data (bench/archived-view.ts).
 */
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import readline from "node:readline";
import { followRunner, trpcMutation, viewSession, type Arrivals } from "./client";
import { addedLatencies, round, summarize, throughput } from "./stats";
import { benchArchiveSync } from "./sync";
import { benchArchivedView, type ArchivedTree } from "./archived-view";
import { benchHealth } from "./health";
import { benchTraces } from "./traces";
import { buildNextApp } from "./next-app";
import type { RunnerEndpoint } from "~/server/runtime/health";

const root = path.resolve(__dirname, "..");
const PORT = Number(process.env.BENCH_PORT ?? 3332);
const BASE = `http://127.0.0.1:${PORT}`;
const started = Date.now();
const log = (line: string) => console.log(`[bench ${Math.round((Date.now() - started) / 1000)}s] ${line}`);

type Info = { runnerId: string; directory: string; endpoint: RunnerEndpoint; rss: number; cpuSeconds: number; runnerCpuSeconds: number };
type Row = { section: string; measure: string; flightdeck: string; baseline: string; ratio: string };
const rows: Row[] = [];
const results: Record<string, unknown> = {};

function row(section: string, measure: string, flightdeck: string, baseline: string, ratio: number | string) {
  rows.push({ section, measure, flightdeck, baseline, ratio: typeof ratio === "number" ? `${round(ratio, 2)}x` : ratio });
}

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startServer(dataDir: string) {
  const nodeFlags = process.env.BENCH_SERVER_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(process.execPath, ["--expose-gc", ...nodeFlags, "--import", "tsx", path.join(__dirname, "server.ts")], {
    cwd: root,
    env: { ...process.env, TSX_TSCONFIG_PATH: path.join(root, "tsconfig.node.json"), BENCH_PORT: String(PORT), BENCH_DATA_DIR: dataDir, LOG_LEVEL: "warn" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    readline.createInterface({ input: child.stdout! }).on("line", (line) => {
      if (line.startsWith("BENCH-SERVER ready")) resolve();
    });
    child.on("exit", (code) => reject(new Error(`bench server exited (${code})`)));
  });
  await ready;
  // A saturated app answers nothing: every probe gives up after a while instead of hanging.
  const get = async (url: string) => (await fetch(`${BASE}${url}`, { signal: AbortSignal.timeout(90_000) })).json();
  return {
    info: async () => (await get("/bench/info")) as Info,
    settledRss: async () => ((await get("/bench/info?settled")) as Info).rss,
    tree: async (sessionId: string) => (await get(`/bench/tree?sessionId=${sessionId}`)) as { parts: number; idle: boolean },
    render: async (sessionId: string) => (await get(`/bench/render?sessionId=${sessionId}`)) as { ms: number; bytes: number },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        // A saturated event loop never runs the SIGTERM handler.
        setTimeout(() => child.kill("SIGKILL"), 15_000).unref();
      }),
  };
}
type Server = Awaited<ReturnType<typeof startServer>>;

const longText = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1).length + 1).reduce((a, b) => a + b, 0);

async function createSession(info: Info) {
  return trpcMutation<{ id: string; opencodeId: string }>(BASE, "session.create", { runnerId: info.runnerId, directory: info.directory });
}

async function prompt(sessionId: string, text: string) {
  await trpcMutation(BASE, "session.prompt", { sessionId, text, acknowledgeStale: true });
}

async function waitIdle(server: Server, sessionId: string, timeoutMs: number) {
  await new Promise((r) => setTimeout(r, 300));
  await waitFor(async () => (await server.tree(sessionId)).idle, timeoutMs, `session ${sessionId} to go idle`);
}

/**
 * `sessions` sessions streaming `deltas` text deltas each, every one watched by `viewers` tRPC
 * viewers and by one consumer of opencode's /event stream (the baseline).
 */
async function liveRun(server: Server, sessions: number, viewers: number, deltas: number, openWithinMs = 300_000) {
  const info = await server.info();
  const ac = new AbortController();
  const runs = await Promise.all(
    Array.from({ length: sessions }, async () => {
      const session = await createSession(info);
      const direct = followRunner(info.endpoint, info.directory, session.opencodeId, ac.signal);
      const views = Array.from({ length: viewers }, () => viewSession(BASE, session, ac.signal));
      return { session, direct, views };
    }),
  );
  const streams: Arrivals[] = runs.flatMap((r) => [r.direct, ...r.views]);
  let open = 0;
  const opening = performance.now();
  const progress = setInterval(() => log(`  ${open} of ${streams.length} streams open`), 5_000);
  const allOpen = Promise.all(streams.map((s) => s.opened.then(() => open++)));
  const inTime = await Promise.race([allOpen.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), openWithinMs))]);
  clearInterval(progress);
  if (!inTime) {
    ac.abort();
    throw new NotConnected(open, streams.length, openWithinMs);
  }
  const openMs = performance.now() - opening;
  await new Promise((r) => setTimeout(r, 1000)); // subscriptions registered on the server
  const rssWithViewers = (await server.info()).rss;
  const before = await server.info();
  const start = performance.now();
  await Promise.all(runs.map((r) => prompt(r.session.id, `Stream it. demo:long=${deltas}`)));
  const expected = longText(deltas);
  await waitFor(() => streams.every((s) => s.total >= expected), 240_000, "every stream to receive the whole text").catch((error: Error) => {
    const behind = streams.filter((s) => s.total < expected);
    throw new Error(`${error.message}: ${behind.length} of ${streams.length} streams behind, least ${Math.min(...behind.map((s) => s.total))} of ${expected} chars`);
  });
  const after = await server.info();
  ac.abort();
  const latencies = runs.flatMap((r) => r.views.flatMap((v) => addedLatencies(r.direct, v)));
  const ratios = runs.flatMap((r) => r.views.map((v) => throughput(v, start) / throughput(r.direct, start)));
  const directRate = runs.map((r) => throughput(r.direct, start)).reduce((a, b) => a + b, 0) / runs.length;
  for (const r of runs) await waitIdle(server, r.session.id, 60_000);
  return {
    latency: summarize(latencies),
    openMs,
    snapshots: runs.flatMap((r) => r.views).reduce((n, v) => n + v.snapshots, 0),
    throughputRatio: ratios.reduce((a, b) => a + b, 0) / ratios.length,
    directCharsPerSecond: directRate,
    rssWithViewers,
    appCpuSeconds: after.cpuSeconds - before.cpuSeconds,
    runnerCpuSeconds: after.runnerCpuSeconds - before.runnerCpuSeconds,
  };
}

async function bridgeOverhead(server: Server) {
  for (const [sessions, viewers, deltas] of [
    [1, 1, 5000],
    [10, 10, 1000],
  ] as const) {
    log(`bridge overhead: ${sessions} session(s) x ${viewers} viewer(s), demo:long=${deltas}`);
    const run = await liveRun(server, sessions, viewers, deltas);
    const key = `${sessions}x${viewers}`;
    results[`overhead_${key}`] = run;
    const l = run.latency;
    row(`bridge ${key}`, "added latency p50/p95/p99", `+${round(l.p50)}/${round(l.p95)}/${round(l.p99)} ms`, "opencode /event (0 ms by definition)", "-");
    row(`bridge ${key}`, "throughput (text chars/s)", `${Math.round(run.directCharsPerSecond * run.throughputRatio)}`, `${Math.round(run.directCharsPerSecond)}`, run.throughputRatio);
  }
}

class NotConnected extends Error {
  constructor(
    readonly open: number,
    readonly total: number,
    readonly withinMs: number,
  ) {
    super(`${open} of ${total} streams connected within ${withinMs / 1000} s`);
  }
}

async function fanOut(server: Server, tiers: number[]) {
  const idle = (await server.info()).rss;
  for (const viewers of tiers) {
    log(`fan-out: ${viewers} viewers of one live session`);
    const rssBefore = (await server.info()).rss;
    let run: Awaited<ReturnType<typeof liveRun>>;
    try {
      // A hard limit of its own: a saturated app may leave requests hanging past every timeout.
      run = await Promise.race([
        liveRun(server, 1, viewers, 500, 120_000),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("no result within 180 s (app event loop saturated)")), 180_000).unref()),
      ]);
    } catch (error) {
      // Reported, not fatal: what the app cannot serve is a result too.
      const message = error instanceof Error ? error.message : String(error);
      log(`fan-out ${viewers}: not completed: ${message}`);
      results[`fanout_${viewers}`] = { notCompleted: message };
      row(`fan-out ${viewers}`, "not completed", "-", "-", message);
      return false;
    }
    const perViewerKb = (run.rssWithViewers - rssBefore) / viewers / 1024;
    results[`fanout_${viewers}`] = { ...run, rssBefore, perViewerKb };
    row(`fan-out ${viewers}`, "time until every viewer has its snapshot", `${round(run.openMs / 1000)} s`, "-", "-");
    row(`fan-out ${viewers}`, "delivery lag p50/p99 vs /event", `+${round(run.latency.p50)}/${round(run.latency.p99)} ms`, "opencode /event", "-");
    row(`fan-out ${viewers}`, "app RSS per viewer", `${round(perViewerKb)} KB`, `idle app ${Math.round(idle / 2 ** 20)} MB`, `${round((perViewerKb * 1024 * 100) / idle, 3)}% each`);
    row(`fan-out ${viewers}`, "CPU seconds (app vs runner)", `${round(run.appCpuSeconds, 2)} s`, `${round(run.runnerCpuSeconds, 2)} s`, run.appCpuSeconds / run.runnerCpuSeconds);
  }
  return true;
}

/** `n` sessions that each answered one prompt, all idle again. */
async function idleSessions(server: Server, n: number) {
  const info = await server.info();
  const sessions = await Promise.all(Array.from({ length: n }, () => createSession(info)));
  await Promise.all(sessions.map((s) => prompt(s.id, "Hello. demo:text")));
  for (const s of sessions) await waitIdle(server, s.id, 120_000);
}

async function memory(server: Server) {
  log("memory: 0 and 50 idle sessions");
  await new Promise((r) => setTimeout(r, 2000));
  const empty = await server.settledRss();
  await idleSessions(server, 50);
  await new Promise((r) => setTimeout(r, 2000));
  const fifty = await server.settledRss();
  results.memory = { empty, fifty };
  row("memory", "app RSS, 50 idle sessions", `${Math.round(fifty / 2 ** 20)} MB`, `0 sessions: ${Math.round(empty / 2 ** 20)} MB`, fifty / empty);
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function runnerMessages(info: Info, opencodeId: string) {
  const headers: Record<string, string> = {};
  if (info.endpoint.credentials) {
    const { username, password } = info.endpoint.credentials;
    headers.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }
  const t = performance.now();
  const res = await fetch(`${info.endpoint.url}/session/${opencodeId}/message?directory=${encodeURIComponent(info.directory)}`, { headers });
  const bytes = (await res.arrayBuffer()).byteLength;
  return { ms: performance.now() - t, bytes };
}

/**
 * Session trees of about 100, 1,000 and 10,000 parts (BENCH_TREES), grown through the real
 * runner with the Demo model (`demo:tools`, up to 2,000 tool calls a turn).
 */
async function growTrees(server: Server, budgetMs: number) {
  const info = await server.info();
  const built: (ArchivedTree & { opencodeId: string })[] = [];
  let msPerPart = 0;
  const targets = (process.env.BENCH_TREES ?? "100,1000,10000").split(",").map(Number);
  for (const target of targets) {
    const label = target.toLocaleString("en-US");
    // Stop rather than blow the bench's time budget: say what was not measured.
    if (msPerPart && Date.now() - started + msPerPart * target > budgetMs) {
      row(`trees ${label}`, "not built", "-", "-", `building ${label} parts (~${Math.round((msPerPart * target) / 1000)} s here) would pass the bench's time budget`);
      break;
    }
    const session = await createSession(info);
    const t = Date.now();
    let parts = 0;
    while (parts < target) {
      const needed = Math.min(2000, Math.max(10, target - parts - 8));
      log(`tree ${label}: ${parts} parts, adding ~${needed} (demo:tools=${needed})`);
      await prompt(session.id, `Read a lot. demo:tools=${needed}`);
      await waitIdle(server, session.id, 900_000);
      parts = (await server.tree(session.id)).parts;
    }
    msPerPart = (Date.now() - t) / parts;
    built.push({ label, sessionId: session.id, opencodeId: session.opencodeId, parts, runner: { ms: 0, bytes: 0 } });
  }
  return built;
}

/** For each tree: what a live viewer loads first (the snapshot) against opencode's own message list. */
async function liveSnapshots(server: Server, built: (ArchivedTree & { opencodeId: string })[]) {
  const info = await server.info();
  const measured: Record<string, unknown> = {};
  for (const tree of built) {
    const renders = [];
    const baselines = [];
    for (let i = 0; i < 3; i++) {
      renders.push(await server.render(tree.sessionId));
      baselines.push(await runnerMessages(info, tree.opencodeId));
    }
    const ms = median(renders.map((r) => r.ms));
    const bytes = renders[0]!.bytes;
    tree.runner = { ms: median(baselines.map((r) => r.ms)), bytes: baselines[0]!.bytes };
    measured[tree.label] = { parts: tree.parts, ms, bytes, runnerMs: tree.runner.ms, runnerBytes: tree.runner.bytes };
    row(`live view ${tree.label}`, `first snapshot, load+serialize (${tree.parts} parts)`, `${round(ms)} ms`, `opencode GET /message ${round(tree.runner.ms)} ms`, ms / tree.runner.ms);
    row(`live view ${tree.label}`, "snapshot bytes", `${Math.round(bytes / 1024)} KB`, `${Math.round(tree.runner.bytes / 1024)} KB`, bytes / tree.runner.bytes);
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

const SECTIONS = ["memory", "overhead", "fanout", "trees", "health", "traces"] as const;
type Section = (typeof SECTIONS)[number];

async function main() {
  const budgetMs = Number(process.env.BENCH_BUDGET_MS ?? 14 * 60_000);
  const only = process.env.BENCH_SECTIONS?.split(",");
  const unknown = only?.filter((name) => !SECTIONS.includes(name as Section));
  if (unknown?.length) throw new Error(`BENCH_SECTIONS: unknown section(s) ${unknown.join(", ")} (known: ${SECTIONS.join(", ")})`);
  const wanted = (name: Section) => !only || only.includes(name);
  // The bench server's data (database, runner files), kept for the Next app's archived view.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-bench-"));
  // The traces section seeds its trees itself and measures through the Next app only.
  const needsServer = SECTIONS.some((name) => name !== "traces" && wanted(name));
  if (needsServer) log(`starting the app (bench/server.ts, PGlite) on ${BASE}`);
  let server: Server | undefined = needsServer ? await startServer(dataDir) : undefined;
  try {
    if (server) {
      if (wanted("memory")) await memory(server);
      if (wanted("overhead")) await bridgeOverhead(server);
      if (wanted("fanout")) await fanOut(server, [10, 100, 1000]);
    }
    let built: Awaited<ReturnType<typeof growTrees>> = [];
    if (server && wanted("trees")) {
      // Nothing is measured while the trees grow: the Next app for the archived view builds now.
      log("building the Next app in the background (when its sources changed)");
      const nextBuild = buildNextApp();
      nextBuild.catch(() => {});
      // Leaves time for the build, the archive sync and the archived view.
      built = await growTrees(server, budgetMs - 4 * 60_000);
      await nextBuild;
      await liveSnapshots(server, built);
      const largest = built.at(-1)!;
      const info = await server.info();
      log(`archive sync of the ${largest.parts}-part tree: full, then incremental after one more turn`);
      results.sync = await benchArchiveSync({
        endpoint: info.endpoint,
        directory: info.directory,
        runnerId: info.runnerId,
        opencodeId: largest.opencodeId,
        parts: largest.parts,
        oneMoreTurn: async () => {
          await prompt(largest.sessionId, "One more. demo:text");
          await waitIdle(server!, largest.sessionId, 120_000);
        },
        row,
      });
    }
    // What the health section's list queries read: the memory section's sessions, or as many.
    if (server && wanted("health") && !wanted("memory")) {
      log("health: 50 sessions for session.list to read");
      await idleSessions(server, 50);
    }
    await server?.stop();
    server = undefined;
    if (built.length > 0) {
      results.archivedView = await benchArchivedView({ dataDir, port: PORT + 1, trees: built, row, log });
    }
    if (wanted("health")) results.health = await benchHealth({ dataDir, port: PORT + 1, row, log });
    if (wanted("traces")) results.traces = await benchTraces({ dataDir, port: PORT + 1, row, log });
  } finally {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  printTable();
  const date = new Date().toISOString().slice(0, 10);
  const file = process.env.BENCH_OUT ? path.resolve(process.env.BENCH_OUT) : path.join(__dirname, "results", `${date}.json`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const machine = { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadavg: os.loadavg(), memoryGb: round(os.totalmem() / 2 ** 30), node: process.version };
  fs.writeFileSync(file, `${JSON.stringify({ date: new Date().toISOString(), durationS: Math.round((Date.now() - started) / 1000), transport: "tRPC over HTTP/SSE (standalone adapter, same router as /api/trpc)", machine, rows, results }, null, 2)}\n`);
  log(`wrote ${path.relative(root, file)} in ${Math.round((Date.now() - started) / 1000)} s`);
  // Streams a saturated app never answered would keep this process alive.
  process.exit(0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
