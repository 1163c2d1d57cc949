import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { trpcMutation, type AppClient } from "~/bench/client";
import { connectRedis, redisKeys, type Redis } from "~/server/cluster/redis";
import { createRunnerClient } from "~/server/runtime/client";
import { startEmbeddedRunner } from "~/server/runtime/embedded";
import { startApp, type AppChild } from "~/server/testing/app-child";
import { privateRedis, testKeyPrefix } from "~/server/testing/redis";
import { assistantTextAt } from "~/server/testing/assistant-text";
import type { Database, DbLocation } from "~/server/db";
import { waitUntil } from "~/server/testing/live";

/** One instance of the cluster: its process, where it answers, and the id it holds leases as. */
export type ClusterInstance = { name: string; id: string; client: AppClient; app: AppChild; alive: boolean };

// The harness lives in the test's process; every instance is its own (see instance.ts).
const INSTANCE_SCRIPT = path.join(__dirname, "instance.ts");

/**
 * Several Flightdeck instances as a load balancer would front them: on `database` (a scratch
 * PostgreSQL database, migrated before any instance starts: see describeWithCluster in
 * server/testing/redis.ts),
 * a Redis of the test's own (it can be restarted), a key prefix of its own, and one standalone runner (`opencode serve` with the
 * Demo model) added once, as a remote runner, through the first instance. The runner outlives
 * any instance, so a turn streams on while its owner is killed.
 */
export async function startCluster(options: { instances: number; database: Database & { location: DbLocation } }) {
  const cleanups: (() => Promise<unknown> | unknown)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) await Promise.resolve(cleanup()).catch(() => undefined);
    cleanups.length = 0;
  };
  try {
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-cluster-"));
    cleanups.push(() => fs.rmSync(scratch, { recursive: true, force: true }));
    const { database } = options;
    const redisServer = await privateRedis();
    await redisServer.start();
    cleanups.push(() => redisServer.kill());
    const redis = connectRedis(redisServer.url, "cluster-test");
    // Expected while the test restarts Redis; the connection comes back by itself.
    redis.on("error", () => undefined);
    cleanups.push(() => redis.disconnect());
    const runner = await startEmbeddedRunner({ dataDir: path.join(scratch, "runner"), deltaDelayMs: 0 });
    cleanups.push(() => runner.stop());

    const prefix = testKeyPrefix();
    const keys = redisKeys(prefix);
    const shared = {
      DATABASE_URL: "url" in database.location ? database.location.url : "",
      REDIS_URL: redisServer.url,
      FLIGHTDECK_REDIS_PREFIX: prefix,
      // Runner passwords are sealed with it: every instance must open what another stored.
      FLIGHTDECK_SECRET: randomBytes(24).toString("hex"),
      FLIGHTDECK_EMBEDDED_RUNNER: "0",
      // Who owns the runner, and when it changed hands, is said at "info": the tails of a failed test show it.
      LOG_LEVEL: "info",
    };
    const crashes: string[] = [];
    const instances: ClusterInstance[] = [];
    const launch = async (): Promise<ClusterInstance> => {
      // Its place is taken at once: instances started together keep the order of their names.
      const slot = instances.length;
      instances.length++;
      const name = `i${slot}`;
      const id = `${name}-${randomBytes(3).toString("hex")}`;
      const app = startApp(INSTANCE_SCRIPT, [], path.join(scratch, name), { ...shared, FLIGHTDECK_INSTANCE_ID: id });
      cleanups.push(() => terminate(app));
      const { port } = await app.next("ready");
      const instance: ClusterInstance = { name, id, client: { base: `http://127.0.0.1:${port}`, cookie: "" }, app, alive: true };
      // An instance that dies by itself is out of the balancer's rotation, as a failed health
      // check would take it out, and on record: no test expects one to.
      void app.exited.then((how) => {
        if (!instance.alive) return;
        instance.alive = false;
        crashes.push(`${name} exited by itself (${how}):\n${app.tail(15)}`);
      });
      instances[slot] = instance;
      return instance;
    };
    await Promise.all(Array.from({ length: options.instances }, launch));

    const endpoint = { url: runner.supervisor.instance!.url, credentials: runner.supervisor.credentials };
    const { username, password } = runner.supervisor.credentials;
    const { id: runnerId } = await trpcMutation<{ id: string }>(instances[0]!.client, "runner.addRemote", {
      name: "cluster-runner",
      url: endpoint.url,
      username,
      password,
    });
    const directory = runner.supervisor.directory;

    /** The instance holding the runner's lease (dead or alive), if any holds it. */
    const owner = async (): Promise<ClusterInstance | undefined> => {
      const holder = (await redis.get(keys.runnerLease(runnerId)))?.split(" ")[0];
      return instances.find((instance) => instance.id === holder);
    };

    return {
      instances,
      runnerId,
      directory,
      /** The harness's own connection to the shared database, to read what the instances stored. */
      db: database.client,
      /** The harness's own connection to the Redis, under the cluster's `keys`. */
      redis: redis as Redis,
      keys,
      alive: () => instances.filter((instance) => instance.alive),
      owner,
      /** Waits until a live instance other than `not` holds the runner's lease, and returns it. */
      async waitForOwner(timeoutMs: number, not?: ClusterInstance): Promise<ClusterInstance> {
        let found: ClusterInstance | undefined;
        await waitUntil(
          async () => {
            found = await owner();
            return found !== undefined && found.alive && found !== not;
          },
          timeoutMs,
          `a live instance${not ? ` other than ${not.name}` : ""} to hold the runner's lease (now: ${found?.name ?? "none"})`,
        );
        return found!;
      },
      /** Starts one more instance (to stand in for one that was killed). */
      addInstance: launch,
      /** Instances other than the runner's current owner. */
      async nonOwners(): Promise<ClusterInstance[]> {
        const holder = await owner();
        return instances.filter((instance) => instance.alive && instance !== holder);
      },
      /** SIGKILLs an instance: no shutdown, its leases stay in Redis until they expire. */
      async kill(instance: ClusterInstance): Promise<void> {
        instance.alive = false;
        instance.app.child.kill("SIGKILL");
        await instance.app.exited;
      },
      /** Kills the Redis and starts an empty one on the same port: a crash and a restart to its clients. */
      async restartRedis(): Promise<void> {
        await redisServer.kill();
        await redisServer.start();
      },
      /** Instances that exited without being killed (each reported once), with their last words. */
      newCrashes: () => crashes.splice(0),
      /** What each instance wrote last, to say why a test failed. */
      tails: () => instances.map((instance) => `--- ${instance.name} (${instance.id}${instance.alive ? "" : ", killed"}) ---\n${instance.app.tail(40)}`).join("\n"),
      /** Whether the runner is still working on the session (its own word, not an instance's). */
      async runnerBusy(opencodeId: string): Promise<boolean> {
        const { data } = await createRunnerClient(endpoint, { directory }).session.status(undefined, { throwOnError: true });
        return data[opencodeId]?.type === "busy";
      },
      /** The assistant's text of a session as the runner keeps it: the ground truth. */
      runnerText: (opencodeId: string) => assistantTextAt(endpoint, directory, opencodeId),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

export type Cluster = Awaited<ReturnType<typeof startCluster>>;

// A clean stop when it takes one; a killed instance, or one that hangs, is not waited on.
async function terminate(app: AppChild): Promise<void> {
  if (app.child.exitCode !== null || app.child.signalCode !== null) return;
  app.child.kill("SIGTERM");
  const timer = setTimeout(() => app.child.kill("SIGKILL"), 10_000);
  await app.exited;
  clearTimeout(timer);
}
