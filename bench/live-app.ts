/**
 * The app the live sections measure: `npm start` with the embedded runner and the Demo model
 * streaming as fast as opencode takes it, driven as the bench's signed-in admin. What the bench
 * needs besides the API comes from outside the app, as an operator would find it: the app's
 * and the runner's processes from /proc, the runner's address from `runner.list`, and its
 * credentials from the runner process's environment (the pid file is in the data dir).
 */
import fs from "node:fs";
import path from "node:path";
import { runnerPaths } from "~/server/runtime/runner-env";
import type { RunnerEndpoint } from "~/server/runtime/health";
import { firstSnapshot, trpcMutation, trpcQuery, type AppClient } from "./client";
import { signIn, startNext } from "./next-app";
import { inspectorOf } from "./inspector";
import { childPids, processCpuSeconds, processRss } from "./proc";

type RunnerRow = { id: string; kind: string; url: string; defaultDirectory?: string };
type FamilyMember = { status: string };

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function runnerCredentials(pid: number) {
  const environ = new Map(
    fs
      .readFileSync(`/proc/${pid}/environ`, "utf8")
      .split("\0")
      .map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)] as const),
  );
  const username = environ.get("OPENCODE_SERVER_USERNAME");
  const password = environ.get("OPENCODE_SERVER_PASSWORD");
  return username && password ? { username, password } : undefined;
}

export async function startLiveApp(port: number, dataDir: string) {
  const next = await startNext(port, dataDir, {
    embeddedRunner: true,
    // The Demo model at full speed (what the bench's figures are about is the app, not its pace);
    // no turn is marked stalled while a saturated app catches up.
    env: { FLIGHTDECK_DEMO_DELTA_MS: "0", FLIGHTDECK_STALL_MS: "600000" },
  });
  const base = `http://127.0.0.1:${port}`;
  const { name, value } = await signIn(base);
  const client: AppClient = { base, cookie: `${name}=${value}` };
  const runner = (await trpcQuery<RunnerRow[]>(client, "runner.list", undefined)).find((r) => r.kind === "embedded");
  if (!runner?.defaultDirectory) throw new Error("the app under benchmark has no embedded runner serving");
  const runnerPid = Number(fs.readFileSync(runnerPaths(path.join(dataDir, "runner")).pidFile, "utf8"));
  // scripts/start.ts runs the server (scripts/serve.mjs) as its one child; opencode is its child.
  const [appPid] = childPids(next.pid);
  if (!appPid || !childPids(appPid).includes(runnerPid)) throw new Error("could not find the server process running the embedded runner");
  const endpoint: RunnerEndpoint = { url: runner.url, credentials: runnerCredentials(runnerPid) };
  const directory = runner.defaultDirectory;
  let inspector: ReturnType<typeof inspectorOf> | undefined;

  return {
    ...appDriver(client, runner.id, directory),
    /** Where the live sections' viewers connect. */
    viewerClients: [client],
    endpoint,
    /** The server process's memory and CPU so far, and the runner's CPU. */
    usage: () => ({ rss: processRss(appPid), cpuSeconds: processCpuSeconds(appPid), runnerCpuSeconds: processCpuSeconds(runnerPid) }),
    /** A full collection in the server process (its inspector opened on first use and kept open). */
    collectGarbage: async () => (await (inspector ??= inspectorOf(appPid))).collectGarbage(),
    stop: async () => {
      (await inspector)?.close();
      await next.stop();
    },
  };
}

/** What the bench does through the app as its signed-in admin: new sessions on one runner, prompts, waiting for idle. */
export function appDriver(client: AppClient, runnerId: string, directory: string) {
  return {
    client,
    runnerId,
    directory,
    createSession: () => trpcMutation<{ id: string; opencodeId: string }>(client, "session.create", { runnerId, directory }),
    prompt: async (sessionId: string, text: string) => void (await trpcMutation(client, "session.prompt", { sessionId, text, acknowledgeStale: true })),
    /** How many turns the tree's root has (opencode's compactions count: they add turns of their own). */
    turnCount: async (sessionId: string) => (await trpcQuery<{ turnCount: number }>(client, "session.timeline", { sessionId, limit: 1 })).turnCount,
    /** Until the tree has `turns` turns on its root and every session of it is idle. */
    waitIdle: async (sessionId: string, turns: number, timeoutMs: number, everyMs = 100) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [timeline, family] = await Promise.all([
          trpcQuery<{ turnCount: number }>(client, "session.timeline", { sessionId, limit: 1 }),
          trpcQuery<FamilyMember[]>(client, "session.tree", { sessionId }),
        ]);
        if (timeline.turnCount >= turns && family.every((s) => s.status === "idle")) return;
        if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for session ${sessionId} to go idle`);
        await sleep(everyMs);
      }
    },
  };
}

export type LiveApp = Awaited<ReturnType<typeof startLiveApp>>;

/**
 * Grows the tree through the runner with `demo:tools` turns (up to 2,000 calls each) until it
 * holds at least `target` parts. Returns its parts and its root's turns, counted by the app: a
 * count of prompts falls behind once opencode compacts, and a wait on it would return while the
 * next turn still runs (a tree then overshoots its size).
 */
export async function growTree(app: LiveApp, sessionId: string, target: number, log: (line: string) => void) {
  let parts = (await firstSnapshot(app.client, sessionId)).parts;
  let turns = await app.turnCount(sessionId);
  while (parts < target) {
    const needed = Math.min(2000, Math.max(10, target - parts - 8));
    log(`${parts} parts, adding ~${needed} (demo:tools=${needed})`);
    await app.prompt(sessionId, `Read a lot. demo:tools=${needed}`);
    await app.waitIdle(sessionId, turns + 1, 900_000, 500);
    turns = await app.turnCount(sessionId);
    parts = (await firstSnapshot(app.client, sessionId)).parts;
  }
  return { parts, turns };
}
