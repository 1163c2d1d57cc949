import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "~/server/db";
import { waitUntil } from "~/server/testing/live";
import { startApp } from "~/server/testing/app-child";

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe("runner SIGKILL mid-turn, then app SIGKILL mid-sync", () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-chaos-"));
  const started: ChildProcess[] = [];
  afterAll(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("restarts the runner, marks the turn, loses nothing stored, keeps the old archive and then syncs the new one", { timeout: 400_000 }, async () => {
    const app = startApp(path.join(__dirname, "app-process.ts"), ["run"], dataDir);
    started.push(app.child);
    const midTurn = await app.next("mid-turn");
    process.kill(midTurn.runnerPid as number, "SIGKILL");
    const recovered = await app.next("runner-recovered");
    expect(recovered.runnerPid).not.toBe(midTurn.runnerPid);
    // What the live path stored before the runner died is still there after the recovery.
    expect(midTurn.storedText).toMatch(/^Starting an answer/);
    expect(recovered.storedText as string).toContain(midTurn.storedText as string);
    const synced = await app.next("synced");
    const unfollowed = await app.next("unfollowed-turn");
    await app.next("in-commit");
    // The sync has written everything inside its transaction and is about to commit.
    app.child.kill("SIGKILL");
    expect(await app.exited).toBe("SIGKILL");
    // The app's runner does not outlive it.
    await waitUntil(() => !alive(recovered.runnerPid as number), 20_000, "the orphaned runner to be reaped");

    // What the killed app left on disk: the archive from before the sync, not a mix.
    const database = await createDb({ pgliteDir: path.join(dataDir, "pglite") });
    try {
      const db = database.client;
      const root = await db.session.findUniqueOrThrow({ where: { id: synced.sessionId as string } });
      expect(root.archiveVersion).toBe(synced.version);
      expect(root.lastArchivedAt?.toISOString()).toBe(synced.lastArchivedAt);
      expect(root.archiveState).toBe("syncing");
      const turns = await db.turn.findMany({ where: { sessionId: root.id }, orderBy: { startedAt: "asc" } });
      // The unfollowed turn exists only in the uncommitted sync.
      expect(turns.map((t) => t.status)).toEqual(["error"]);
      expect(turns[0]!.error).toMatch(/runner restarted/i);
      const parts = await db.part.findMany({
        where: { sessionId: root.id, type: "text", message: { role: "assistant" } },
        orderBy: [{ message: { opencodeId: "asc" } }, { opencodeId: "asc" }],
      });
      const text = parts.map((p) => p.text ?? "").join("");
      // Exactly what was stored before the sync began: nothing of the sync's writes, nothing lost.
      expect(text.length).toBe(unfollowed.storedText);
    } finally {
      await database.close();
    }

    // Restarted, the app recovers the interrupted sync and completes it: the new archive, whole.
    const again = startApp(path.join(__dirname, "app-process.ts"), ["resume"], dataDir);
    started.push(again.child);
    const ready = await again.next("ready");
    expect(ready.runnerPid).not.toBe(recovered.runnerPid);
    const resumed = await again.next("resumed", 180_000);
    expect(resumed.version).toBe((synced.version as number) + 1);
    expect(resumed.runnerText).toContain("799 800\n");
    // The archive has the runner's whole tree, and still what the runner forgot when it died.
    expect(resumed.storedText as string).toContain("799 800\n");
    expect(resumed.storedText as string).toContain(midTurn.storedText as string);
    await again.next("done");
    expect(await again.exited).toBe(0);
  });
});
