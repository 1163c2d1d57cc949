/**
 * Several `npm start` instances as a team runs them behind a load balancer (issue 19): one
 * PostgreSQL database, one Redis (`REDIS_URL`, a prefix of the run's own), one shared secret,
 * the embedded runner off, and one standalone runner they all serve, added through the app as a
 * remote runner. Each instance has its own data dir and process group, so the bench can SIGKILL
 * one as a crash would; its memory and CPU are read from /proc like the live app's.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { EmbeddedRunner } from "~/server/runtime/embedded";
import { trpcMutation, type AppClient } from "./client";
import { appDriver } from "./live-app";
import type { LiveTarget } from "./live-run";
import { signIn, startNext } from "./next-app";
import { childPids, processCpuSeconds, processRss } from "./proc";

/** What every instance of the run shares. */
export type ClusterSetup = { databaseUrl: string; redisUrl: string; prefix: string; secret: string; runner: EmbeddedRunner };

export type Instance = Awaited<ReturnType<typeof startInstance>>;

/** One `npm start` of the cluster, named `id` (`FLIGHTDECK_INSTANCE_ID`, what its lease values carry). */
async function startInstance(setup: ClusterSetup, id: string, port: number) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `flightdeck-bench-${id}-`));
  const next = await startNext(port, dataDir, {
    databaseUrl: setup.databaseUrl,
    env: {
      REDIS_URL: setup.redisUrl,
      FLIGHTDECK_REDIS_PREFIX: setup.prefix,
      FLIGHTDECK_INSTANCE_ID: id,
      FLIGHTDECK_SECRET: setup.secret,
      // As the live app: no turn is marked stalled while a saturated instance catches up.
      FLIGHTDECK_STALL_MS: "600000",
    },
  });
  const base = `http://127.0.0.1:${port}`;
  const { name, value } = await signIn(base);
  // scripts/start.ts runs the server (scripts/serve.mjs) as its one child.
  const [serverPid] = childPids(next.pid);
  if (!serverPid) throw new Error(`could not find the server process of instance ${id}`);
  let killed = false;
  return {
    id,
    client: { base, cookie: `${name}=${value}` } satisfies AppClient,
    usage: () => (killed ? { rss: 0, cpuSeconds: 0 } : { rss: processRss(serverPid), cpuSeconds: processCpuSeconds(serverPid) }),
    kill: () => {
      killed = true;
      next.kill();
    },
    stop: async () => {
      await next.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The standalone runner, added through the app as an admin would: its id in the shared database. */
export async function addRunner(client: AppClient, runner: EmbeddedRunner): Promise<string> {
  const url = runner.supervisor.instance?.url;
  if (!url) throw new Error("the standalone runner is not serving");
  const { username, password } = runner.supervisor.credentials;
  const { id } = await trpcMutation<{ id: string }>(client, "runner.addRemote", { name: "bench standalone", url, username, password });
  return id;
}

/**
 * `ids.length` instances on ports `port`, `port + 1`, ..., started one after the other (each
 * migrates the database first, and the first one may build the app). Viewers of the returned
 * target are spread over all of them; sessions are created and prompted through the first.
 */
export async function startCluster(setup: ClusterSetup, ids: string[], port: number) {
  const instances: Instance[] = [];
  try {
    for (const [i, id] of ids.entries()) instances.push(await startInstance(setup, id, port + i));
  } catch (error) {
    await Promise.all(instances.map((instance) => instance.stop()));
    throw error;
  }
  const runnerPid = () => {
    const pid = setup.runner.supervisor.instance?.pid;
    if (!pid) throw new Error("the standalone runner is not serving");
    return pid;
  };
  const target = (runnerId: string, via = instances[0]!): LiveTarget => ({
    ...appDriver(via.client, runnerId, setup.runner.supervisor.directory),
    viewerClients: instances.map((instance) => instance.client),
    endpoint: { url: setup.runner.supervisor.instance!.url, credentials: setup.runner.supervisor.credentials },
    /** All instances together (a killed one counts 0), and the runner's CPU. */
    usage: () => {
      const each = instances.map((instance) => instance.usage());
      return {
        rss: each.reduce((sum, u) => sum + u.rss, 0),
        cpuSeconds: each.reduce((sum, u) => sum + u.cpuSeconds, 0),
        runnerCpuSeconds: processCpuSeconds(runnerPid()),
      };
    },
  });
  return { instances, target, stop: () => Promise.all(instances.map((instance) => instance.stop())) };
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;
