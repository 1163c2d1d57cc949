import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import net from "node:net";
import { freePort } from "~/server/runtime/supervisor";
import { waitUntil } from "~/server/runtime/test-helpers";

/** Why a private Redis cannot be started here, if it cannot (the binary is missing). */
export function privateRedisUnavailable(): string | undefined {
  return spawnSync("redis-server", ["--version"]).error ? "redis-server is not installed" : undefined;
}

/**
 * A `redis-server` of a test's own on a free port, keeping nothing on disk, so the test can
 * restart it (every key lost, as a Redis without persistence loses them) without touching the
 * Redis others share.
 */
export async function startPrivateRedis() {
  const port = await freePort();
  let server = await launch(port);
  const stop = async () => {
    if (server.exitCode !== null || server.signalCode !== null) return;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGKILL");
    await exited;
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    /** Kills it and starts an empty one on the same port: its clients see a crash and a restart. */
    async restart() {
      await stop();
      server = await launch(port);
    },
    stop,
  };
}

export type PrivateRedis = Awaited<ReturnType<typeof startPrivateRedis>>;

async function launch(port: number): Promise<ChildProcess> {
  const server = spawn("redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: "ignore",
  });
  await waitUntil(async () => server.exitCode !== null || (await answersPing(port)), 10_000, `redis-server on port ${port}`);
  if (server.exitCode !== null) throw new Error(`redis-server on port ${port} exited with ${server.exitCode}`);
  return server;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (data) => done(data.toString().startsWith("+PONG")));
    socket.once("error", () => done(false));
  });
}
