import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { trpcMutation } from "~/bench/client";
import { marker } from "~/server/model/markers";
import { startEmbeddedRunner, type EmbeddedRunner } from "~/server/runtime/embedded";
import { assistantText, assistantTextAt } from "~/server/testing/assistant-text";
import { httpSessionChunks } from "~/server/testing/http-session-events";
import { waitUntil } from "~/server/testing/live";
import { StreamViewer } from "~/server/testing/stream-viewer";
import { startApp } from "~/server/testing/app-child";

// About 35 s of stream: the app is killed early in it and is back long before it ends.
const DELTAS = 6_000;

describe("app SIGKILL mid-stream, then a restart on the same data dir", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-sigkill-"));
  const runnerDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-sigkill-runner-"));
  const started: ChildProcess[] = [];
  let runner: EmbeddedRunner;
  beforeAll(async () => {
    runner = await startEmbeddedRunner({ dataDir: runnerDir, deltaDelayMs: 5 });
  });
  afterAll(async () => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await runner?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(runnerDir, { recursive: true, force: true });
  });

  it("the viewer resumes with its last id: a snapshot, then the tail, seqs past every one it saw, and the runner's text byte for byte", { timeout: 180_000 }, async () => {
    const { username, password } = runner.supervisor.credentials;
    const env = { CHAOS_RUNNER_URL: runner.supervisor.instance!.url, CHAOS_RUNNER_USERNAME: username, CHAOS_RUNNER_PASSWORD: password };
    const app = startApp(path.join(__dirname, "app-server.ts"), [], dataDir, env);
    started.push(app.child);
    const { runnerId, port } = await app.next("ready");
    const base = `http://127.0.0.1:${port}`;
    // The chaos app serves the router as a signed-in admin: no cookie to carry.
    const client = { base, cookie: "" };
    const directory = runner.supervisor.directory;
    const runnerText = () => assistantTextAt({ url: runner.supervisor.instance!.url, credentials: runner.supervisor.credentials }, directory, session.opencodeId);
    const session = await trpcMutation<{ id: string; opencodeId: string }>(client, "session.create", { runnerId, directory });
    await trpcMutation(client, "session.prompt", { sessionId: session.id, text: `Stream it. ${marker("long", DELTAS)}` });

    // A client that reconnects with its last id whenever its connection fails, as a browser does.
    const viewer = new StreamViewer(httpSessionChunks(base, session.id), session.opencodeId);
    let failures = 0;
    const following = (async () => {
      while (!viewer.finished) {
        try {
          await viewer.take(150_000);
        } catch {
          failures++;
          await sleep(100);
        }
      }
    })();

    await waitUntil(() => viewer.seen.size >= 300, 60_000, "the viewer to receive part of the stream");
    app.child.kill("SIGKILL");
    expect(await app.exited).toBe("SIGKILL");
    // Whatever was in flight has been read once the connection is seen failing.
    await waitUntil(() => failures > 0, 20_000, "the viewer to lose its connection");
    const seenBefore = new Set(viewer.seen);
    const lastBefore = Math.max(...seenBefore);
    const snapshotsBefore = viewer.snapshots;
    const textBefore = assistantText(viewer.state, session.opencodeId);
    // The runner streams on without the app: the rest of the turn is still to come.
    expect(await runnerText()).not.toContain(`${DELTAS}\n`);

    // On the same address: the viewer reconnects where it was.
    const again = startApp(path.join(__dirname, "app-server.ts"), [], dataDir, { ...env, CHAOS_PORT: String(port) });
    started.push(again.child);
    await again.next("ready");
    await Promise.race([following, sleep(120_000).then(() => Promise.reject(new Error("the viewer never saw the turn end")))]);

    const after = [...viewer.seen].filter((seq) => !seenBefore.has(seq));
    console.info(
      `app SIGKILL: ${seenBefore.size} events before (last seq ${lastBefore}), ${after.length} after (first ${Math.min(...after)}), ${failures} failed connections, ${viewer.snapshots - snapshotsBefore} snapshots after the restart`,
    );
    // The restarted app never held the viewer's last id: it sends a snapshot, then the tail.
    expect(viewer.snapshots).toBeGreaterThan(snapshotsBefore);
    expect(viewer.duplicates).toBe(0);
    expect(viewer.gaps).toBe(0);
    // The seq space never goes backwards across a restart.
    expect(Math.min(...after)).toBeGreaterThan(lastBefore);
    const truth = await runnerText();
    expect(truth).toContain(`${DELTAS}\n`);
    expect(truth.startsWith(textBefore)).toBe(true);
    expect(assistantText(viewer.state, session.opencodeId)).toBe(truth);

    again.child.kill("SIGTERM");
    expect(await again.exited).toBe(0);
  });
});
