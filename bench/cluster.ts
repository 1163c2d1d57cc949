/**
 * Several instances (`cluster` section, issue 19): `BENCH_CLUSTER_VIEWERS` viewers of one
 * streaming session spread over three `npm start` instances sharing PostgreSQL and Redis,
 * against the same viewers on one instance of the same setup (the baseline, same run), both
 * timed against opencode's own `/event`; then the owner's failover: its process group SIGKILLed
 * mid-turn, timed until another instance holds the runner's lease and until viewers on the
 * surviving instances get text again.
 */
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { connectRedis, deleteKeys, redisKeys } from "~/server/cluster/redis";
import { startEmbeddedRunner } from "~/server/runtime/embedded";
import type { Row } from "./archived-view";
import { addRunner, startCluster, type ClusterSetup } from "./cluster-app";
import { postgresUnreachable, scratchPostgres } from "./databases";
import { failover } from "./failover";
import { fanOutRun, type FanOutRun } from "./live-run";
import { round } from "./stats";
import { within } from "./wait";

type Log = (line: string) => void;

const DELTA_MS = 10;

export const benchRedisUrl = () => process.env.BENCH_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Why Redis cannot be used, or undefined when it answers. */
async function redisUnreachable(url: string): Promise<string | undefined> {
  const redis = connectRedis(url, "flightdeck-bench-probe");
  redis.on("error", () => {}); // the answer to PING says it
  try {
    await within(redis.ping(), 3_000, "answer to PING");
    return undefined;
  } catch (error) {
    return `Redis (${url}): ${error instanceof Error ? error.message : error}`;
  } finally {
    redis.disconnect();
  }
}

const ms = (value: number) => `${round(value)} ms`;
const lag = (run: FanOutRun) => `+${round(run.latency.p50)}/${round(run.latency.p99)} ms`;

type Outcome = Awaited<ReturnType<typeof fanOutRun>>;

/** Three instances against one; a side that did not complete is a row of its own, the other side's figures stay. */
function fanOutRows(row: Row, section: string, spread: Outcome, single: Outcome) {
  if ("notCompleted" in single) row(section, "one instance (the baseline): not completed", "-", "-", single.notCompleted);
  if ("notCompleted" in spread) {
    row(section, "three instances: not completed", "-", "-", spread.notCompleted);
    return;
  }
  const base = (figure: (run: FanOutRun) => string) => ("notCompleted" in single ? "one instance: not completed" : `one instance ${figure(single)}`);
  const ratio = (value: (run: FanOutRun) => number) => ("notCompleted" in single ? "-" : value(spread) / value(single));
  const seconds = (run: FanOutRun) => `${round(run.openMs / 1000)} s`;
  const perViewer = (run: FanOutRun) => `${round(run.perViewerKb)} KB`;
  const cpu = (run: FanOutRun) => `${round(run.appCpuSeconds, 2)} s (${round(run.runnerCpuSeconds, 2)} s)`;
  row(section, "time until every viewer has its snapshot", seconds(spread), base(seconds), ratio((run) => run.openMs));
  row(section, "delivery lag p50/p99 vs opencode /event", lag(spread), base(lag), ratio((run) => run.latency.p99));
  row(section, "app RSS per viewer (all instances)", perViewer(spread), base(perViewer), ratio((run) => run.perViewerKb));
  row(section, "CPU seconds, all instances (runner)", cpu(spread), base(cpu), ratio((run) => run.appCpuSeconds));
}

export async function benchCluster(options: { port: number; viewers: number; row: Row; log: Log }) {
  const { port, viewers, row, log } = options;
  const redisUrl = benchRedisUrl();
  const unreachable = (await postgresUnreachable()) ?? (await redisUnreachable(redisUrl));
  if (unreachable) {
    log(`cluster: not measured: ${unreachable}`);
    row("cluster", "not measured", "-", "-", unreachable);
    return { skipped: unreachable };
  }
  const prefix = `fdbench:${randomBytes(4).toString("hex")}:`;
  const runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-bench-runner-"));
  const database = await scratchPostgres();
  const redis = connectRedis(redisUrl, "flightdeck-bench");
  // The Demo model at a fast real model's pace (100 words a second), not the fan-out section's
  // full speed: opencode then holds back a long answer and sends it in one burst, leaving no
  // turn in progress to kill its owner in the middle of.
  const runner = await startEmbeddedRunner({ dataDir: runnerDir, deltaDelayMs: DELTA_MS });
  const setup: ClusterSetup = { databaseUrl: database.url, redisUrl, prefix, secret: randomBytes(24).toString("base64url"), runner };
  const label = `cluster ${viewers.toLocaleString("en-US")}`;
  try {
    log(`cluster: baseline, ${viewers} viewers on one instance (port ${port}; PostgreSQL, Redis prefix ${prefix}, standalone runner ${runner.supervisor.instance?.url})`);
    const one = await startCluster(setup, ["bench-1"], port);
    let single: Outcome;
    let runnerId: string;
    try {
      runnerId = await addRunner(one.instances[0]!.client, runner);
      single = await fanOutRun(one.target(runnerId), viewers, log);
    } finally {
      await one.stop();
    }
    log(`cluster: ${viewers} viewers over three instances (ports ${port} to ${port + 2})`);
    const three = await startCluster(setup, ["bench-a", "bench-b", "bench-c"], port);
    try {
      const spread = await fanOutRun(three.target(runnerId), viewers, log);
      fanOutRows(row, `${label} over 3`, spread, single);
      log("cluster: owner failover (SIGKILL of the owner's process group mid-turn)");
      const takeover = await failover(three, runnerId, redis, redisKeys(prefix).runnerLease(runnerId), log).catch((error: unknown) => ({
        notMeasured: error instanceof Error ? error.message : String(error),
      }));
      if ("notMeasured" in takeover) row("cluster failover", "not measured", "-", "-", takeover.notMeasured);
      else {
        const t = takeover;
        row(
          "cluster failover",
          `another instance holds the lease, after SIGKILL at ${t.charsAtKill} of ${t.expectedChars} chars`,
          ms(t.leaseMs),
          `lease time left at the kill ${ms(t.leaseTtlMs)}`,
          t.leaseMs / t.leaseTtlMs,
        );
        const next = t.nextTextMs;
        row(
          "cluster failover",
          `next text at viewers on surviving instances, after SIGKILL (first/last of ${t.survivors})`,
          next ? `${ms(next.first)} / ${ms(next.last)}${next.viewers < t.survivors ? ` (${next.viewers} got any)` : ""}` : "none got text after the takeover",
          `lease taken over at ${ms(t.leaseMs)}`,
          next ? next.last / t.leaseMs : "-",
        );
        row(
          "cluster failover",
          "surviving viewers with the whole text (least chars)",
          `${t.complete} of ${t.survivors} (${t.leastChars})`,
          `opencode /event ${t.runnerChars} of ${t.expectedChars} chars`,
          "-",
        );
      }
      return { prefix, single, spread, failover: takeover };
    } finally {
      await three.stop();
    }
  } finally {
    await runner.stop();
    await deleteKeys(redis, prefix).catch((error: unknown) => log(`cluster: could not drop the run's Redis keys (${prefix}*): ${error}`));
    redis.disconnect();
    await database.drop();
    fs.rmSync(runnerDir, { recursive: true, force: true });
  }
}
