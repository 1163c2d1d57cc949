import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it, onTestFinished } from "vitest";
import { createDb, type Database, type DbLocation } from "~/server/db";
import type { PrismaClient } from "~/server/generated/prisma/client";
import { describeEachDatabase } from "~/server/testing/database";
import { waitUntil } from "~/server/testing/live";
import { loadArchivedTree } from "./read";
import { ArchiveService } from "./service";
import { syncTree } from "./sync";
import { archiveContent, MemorySource, rowCounts, sourceTreeFromRows, subagentRunRows, SUBAGENT_RUN_ROOT } from "./testing";

// The app dies (SIGKILL) in the middle of a sync: a child process has written the whole new
// tree inside the sync's transaction and is about to commit. After the "restart" the archive
// is exactly the old one (never a mix), the interrupted sync is reported, and the next sync
// completes with the new content.

type Entry = { info: { id: string; role: string }; parts: { id: string; type: string; text?: string }[] };
const CHILD = path.join(__dirname, "testing-sync-child.ts");

describeEachDatabase("archive sync killed mid-commit", (database) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-kill-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("leaves the old archive whole; after a restart the next sync completes", async () => {
    // PGlite in memory cannot be shared with a child process: use a PGlite folder instead.
    const location: DbLocation = database.target === "pglite" ? { pgliteDir: path.join(scratch, "pglite") } : database.location;
    let own: Database | undefined = database.target === "pglite" ? await createDb(location) : undefined;
    const db = (): PrismaClient => own?.client ?? database.client;

    const runnerId = (await db().runner.create({ data: { name: `runtime-${randomUUID()}`, kind: "remote", url: "", status: "stopped" } })).id;
    const old = sourceTreeFromRows(subagentRunRows(), SUBAGENT_RUN_ROOT);
    const { rootId } = await syncTree(db(), new MemorySource(old), { runnerId, rootOpencodeId: SUBAGENT_RUN_ROOT });
    const before = await archiveContent(db(), runnerId);
    const countsBefore = await rowCounts(db());

    // The new state: every text part of every session changed, and the grandchild's turn gone.
    const next = structuredClone(old);
    for (const session of next.sessions) {
      for (const message of session.messages as Entry[]) for (const part of message.parts) if (part.type === "text") part.text = `NEW ${part.text}`;
    }
    next.sessions[2]!.messages = [];
    const treeFile = path.join(scratch, "next.json");
    fs.writeFileSync(treeFile, JSON.stringify(next));

    if (own) {
      await own.close(); // PGlite: one process at a time
      own = undefined;
    }
    // tsx as a loader in the child itself (its CLI would run the script in a grandchild).
    const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
      env: { ...process.env, FLIGHTDECK_TEST_DB: JSON.stringify(location), FLIGHTDECK_TEST_SOURCE_TREE: treeFile, FLIGHTDECK_TEST_RUNNER: runnerId },
      stdio: ["ignore", "pipe", "pipe"],
    });
    onTestFinished(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, signal) => resolve(signal)));
    await waitUntil(async () => output.includes("IN-COMMIT") || child.exitCode !== null, 90_000, "the child to reach the commit");
    expect(output).toContain("IN-COMMIT");

    if (database.target === "postgresql") {
      // Meanwhile a reader sees the old archive, and the API says a sync is in progress.
      expect(await archiveContent(db(), runnerId)).toEqual(before);
      await expect(loadArchivedTree(db(), rootId, { refuseWhileSyncing: true })).rejects.toMatchObject({ kind: "syncing", retryAfterSeconds: 2 });
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    // "Restart": open the database again, as the app does at boot.
    if (database.target === "pglite") own = await createDb(location);
    expect(await archiveContent(db(), runnerId)).toEqual(before);
    expect(await rowCounts(db())).toEqual(countsBefore);
    const service = new ArchiveService(
      {
        db: db(),
        runners: { link: async () => undefined },
        bridges: { find: () => undefined },
        changes: { notify() {} },
        log: { info() {}, warn() {}, error() {} },
      },
      { idleMs: 0, sweepMs: 0, retention: { everyMs: 0 } },
    );
    await service.recoverInterrupted();
    expect(await db().session.findUniqueOrThrow({ where: { id: rootId } })).toMatchObject({
      archiveState: "failed",
      archiveError: expect.stringContaining("Interrupted"),
      archiveVersion: 1,
    });

    const outcome = await syncTree(db(), new MemorySource(next), { runnerId, rootOpencodeId: SUBAGENT_RUN_ROOT });
    expect(outcome).toMatchObject({ version: 2, removedTurns: 1 });
    const after = await archiveContent(db(), runnerId);
    const texts = after.flatMap((s) => s.parts.filter((p) => p.type === "text").map((p) => p.text ?? ""));
    expect(texts.length).toBeGreaterThan(0);
    expect(texts.every((t) => t.startsWith("NEW "))).toBe(true);
    expect(after.find((s) => s.opencodeId === next.sessions[2]!.info.id)!.turns).toEqual([]);
    expect(await db().session.findUniqueOrThrow({ where: { id: rootId } })).toMatchObject({ archiveState: "archived", archiveError: null });
    await own?.close();
  }, 180_000);
});
