/**
 * Viewers of live sessions against opencode's own `/event` (the baseline): the measurement the
 * bridge, fan-out and cluster sections share. Viewers are spread over `viewerClients` in turn
 * (one app, or every instance of a cluster); the prompts and idle checks go through the app.
 */
import { followRunnerSessions, viewSession, type AppClient, type Arrivals } from "./client";
import type { LiveApp } from "./live-app";
import { addedLatencies, summarize, throughput } from "./stats";
import { sleep, waitFor } from "./wait";

export type LiveTarget = Pick<LiveApp, "createSession" | "prompt" | "waitIdle" | "endpoint" | "directory" | "usage"> & {
  viewerClients: AppClient[];
  /** A full collection in the app's process(es), where the bench can ask for one. */
  collectGarbage?: () => Promise<void>;
};
type Log = (line: string) => void;

/** Characters of the text `demo:long=<n>` streams. */
export const longText = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1).length + 1).reduce((a, b) => a + b, 0);

export class NotConnected extends Error {
  constructor(
    readonly open: number,
    readonly total: number,
    readonly withinMs: number,
  ) {
    super(`${open} of ${total} streams connected within ${withinMs / 1000} s`);
  }
}

/**
 * `sessions` sessions streaming `deltas` text deltas each, every one watched by `viewers` tRPC
 * viewers and by one consumer of opencode's /event stream (the baseline).
 */
/** Where a run stands, for a caller that gives up on it to say (it cannot ask a hung run). */
export type RunStage = { now: string };

export async function liveRun(app: LiveTarget, sessions: number, viewers: number, deltas: number, log: Log, openWithinMs = 300_000, stage: RunStage = { now: "" }) {
  const { latencies, ...run } = await measureLive(app, sessions, viewers, deltas, log, openWithinMs, stage);
  return { ...run, latency: summarize(latencies) };
}

/**
 * `liveRun` `rounds` times in a row, its latencies pooled: one burst gives each viewer only a
 * handful of records (a long stream reaches a viewer in a few merged messages), so the p99 of
 * one round is its worst record; several rounds make it a percentile. Throughput is the rounds'
 * mean, the other figures (open time, RSS, CPU) the last round's; `perRound` keeps each round's
 * latency and throughput, to see their spread.
 */
export async function liveRounds(app: LiveTarget, sessions: number, viewers: number, deltas: number, rounds: number, log: Log) {
  const measured: { run: Omit<Measured, "latencies">; latencies: number[] }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const { latencies, ...run } = await measureLive(app, sessions, viewers, deltas, log);
    measured.push({ run, latencies });
    const { p50, p99 } = summarize(latencies);
    log(`  round ${round} of ${rounds}: p50/p99 +${Math.round(p50)}/${Math.round(p99)} ms, throughput ${run.throughputRatio.toFixed(2)}x`);
  }
  const mean = (of: (run: Omit<Measured, "latencies">) => number) => measured.reduce((sum, m) => sum + of(m.run), 0) / rounds;
  return {
    ...measured.at(-1)!.run,
    latency: summarize(measured.flatMap((m) => m.latencies)),
    throughputRatio: mean((run) => run.throughputRatio),
    directCharsPerSecond: mean((run) => run.directCharsPerSecond),
    rounds,
    perRound: measured.map(({ run, latencies }) => ({ latency: summarize(latencies), throughputRatio: run.throughputRatio })),
  };
}

type Measured = Awaited<ReturnType<typeof measureLive>>;

async function measureLive(app: LiveTarget, sessions: number, viewers: number, deltas: number, log: Log, openWithinMs = 300_000, stage: RunStage = { now: "" }) {
  const ac = new AbortController();
  const created = await Promise.all(Array.from({ length: sessions }, () => app.createSession()));
  const baseline = followRunnerSessions(app.endpoint, app.directory, created.map((session) => session.opencodeId), ac.signal);
  const runs = created.map((session, s) => ({
    session,
    direct: baseline.sessions[s]!,
    views: Array.from({ length: viewers }, (_, i) => viewSession(app.viewerClients[i % app.viewerClients.length]!, session, ac.signal)),
  }));
  const streams: Arrivals[] = runs.flatMap((r) => [r.direct, ...r.views]);
  let open = 0;
  stage.now = `opening ${streams.length} streams`;
  const opening = performance.now();
  const progress = setInterval(() => {
    stage.now = `${open} of ${streams.length} streams open`;
    log(`  ${stage.now}`);
  }, 5_000);
  const allOpen = Promise.all(streams.map((s) => s.opened.then(() => open++)));
  const inTime = await Promise.race([allOpen.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), openWithinMs))]);
  clearInterval(progress);
  if (!inTime) {
    ac.abort();
    throw new NotConnected(open, streams.length, openWithinMs);
  }
  const openMs = performance.now() - opening;
  await sleep(1000); // subscriptions registered on the server
  const before = app.usage();
  const start = performance.now();
  stage.now = "all streams open, prompting";
  await Promise.all(runs.map((r) => app.prompt(r.session.id, `Stream it. demo:long=${deltas}`)));
  const expected = longText(deltas);
  stage.now = "prompted, streaming";
  const views = runs.flatMap((r) => r.views);
  const streaming = setInterval(() => {
    const whole = views.filter((s) => s.total >= expected).length;
    stage.now = `prompted, ${whole} of ${views.length} viewers have the whole text, least ${Math.min(...views.map((s) => s.total))} of ${expected} chars`;
  }, 1_000);
  const whole = () => {
    if (!views.every((s) => s.total >= expected)) return false;
    // The runner sent it all before a viewer had it all: the baseline's reads are decoded now.
    baseline.decode();
    return streams.every((s) => s.total >= expected);
  };
  await waitFor(whole, 240_000, "every stream to receive the whole text").catch((error: Error) => {
    baseline.decode();
    const behind = streams.filter((s) => s.total < expected);
    throw new Error(`${error.message}: ${behind.length} of ${streams.length} streams behind, least ${Math.min(...behind.map((s) => s.total))} of ${expected} chars`);
  }).finally(() => clearInterval(streaming));
  const after = app.usage();
  // What the viewers, still open, hold once the garbage of their opening and of the stream is gone.
  await app.collectGarbage?.();
  const collected = app.collectGarbage ? app.usage().rss : undefined;
  ac.abort();
  const latencies = runs.flatMap((r) => r.views.flatMap((v) => addedLatencies(r.direct, v)));
  const ratios = runs.flatMap((r) => r.views.map((v) => throughput(v, start) / throughput(r.direct, start)));
  const directRate = runs.map((r) => throughput(r.direct, start)).reduce((a, b) => a + b, 0) / runs.length;
  for (const r of runs) await app.waitIdle(r.session.id, 1, 60_000);
  return {
    latencies,
    openMs,
    snapshots: runs.flatMap((r) => r.views).reduce((n, v) => n + v.snapshots, 0),
    recordsPerViewer: runs.flatMap((r) => r.views).reduce((n, v) => n + v.records, 0) / (sessions * viewers),
    throughputRatio: ratios.reduce((a, b) => a + b, 0) / ratios.length,
    directCharsPerSecond: directRate,
    rssWithViewers: before.rss,
    /** After the stream and a full collection, the viewers still open (where the bench can ask for one). */
    rssWithViewersCollected: collected,
    appCpuSeconds: after.cpuSeconds - before.cpuSeconds,
    runnerCpuSeconds: after.runnerCpuSeconds - before.runnerCpuSeconds,
  };
}

export type FanOutRun = Awaited<ReturnType<typeof liveRun>> & { rssBefore: number; perViewerKb: number; heldPerViewerKb?: number };

/**
 * `viewers` viewers of one session streaming `demo:long=500`, with the app's RSS growth per
 * viewer; what the app cannot serve in time is a result too (`notCompleted`), not a failure.
 */
export async function fanOutRun(app: LiveTarget, viewers: number, log: Log): Promise<FanOutRun | { notCompleted: string }> {
  const rssBefore = app.usage().rss;
  await app.collectGarbage?.();
  const rssCollected = app.usage().rss;
  try {
    // A hard limit of its own: a saturated app may leave requests hanging past every timeout.
    const stage: RunStage = { now: "" };
    const run = await Promise.race([
      liveRun(app, 1, viewers, 500, log, 120_000, stage),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no result within 180 s (app event loop saturated; ${stage.now})`)), 180_000).unref()),
    ]);
    const held = run.rssWithViewersCollected === undefined ? undefined : (run.rssWithViewersCollected - rssCollected) / viewers / 1024;
    return { ...run, rssBefore, perViewerKb: (run.rssWithViewers - rssBefore) / viewers / 1024, heldPerViewerKb: held };
  } catch (error) {
    return { notCompleted: error instanceof Error ? error.message : String(error) };
  }
}
