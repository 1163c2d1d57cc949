import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { importOpencodeDb } from "./import";
import { archiveContent, subagentRunRows, SUBAGENT_RUN_ROOT, writeOpencodeDb } from "./testing";

// An import only adds: a file may be an older copy of a runner's database than the one the
// archive was filled from, and what it lacks stays archived.

describeEachDatabase("importing an older copy", (database) => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-import-"));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  it("keeps what the archive holds that the file lacks", async () => {
    const rows = subagentRunRows();
    const newer = path.join(scratch, "newer.db");
    writeOpencodeDb(newer, rows);
    // The same runner a little earlier: the root's last answer not written yet.
    const rootMessages = rows.message.filter((m) => m.session_id === SUBAGENT_RUN_ROOT).sort((a, b) => (a.id < b.id ? -1 : 1));
    const last = rootMessages.at(-1)!;
    const older = path.join(scratch, "older.db");
    writeOpencodeDb(older, { ...rows, message: rows.message.filter((m) => m !== last), part: rows.part.filter((p) => p.message_id !== last.id) });

    const first = await importOpencodeDb(database.client, newer, { runnerName: "oldbox" });
    expect(first.failed).toEqual([]);
    const held = await archiveContent(database.client, first.runnerId);
    expect(JSON.stringify(held)).toContain(last.id);

    const again = await importOpencodeDb(database.client, older, { runnerName: "oldbox" });
    expect(again.failed).toEqual([]);
    expect(again.changes).toBe(0);
    expect(await archiveContent(database.client, first.runnerId)).toEqual(held);
    expect([first.unreadable, again.unreadable]).toEqual([0, 0]);
  });

  it("counts the rows a damaged file holds no readable data in", async () => {
    const rows = subagentRunRows();
    const damaged = path.join(scratch, "damaged.db");
    const [part, message] = [rows.part.at(-1)!, rows.message.at(-1)!];
    writeOpencodeDb(damaged, {
      ...rows,
      part: rows.part.map((p) => (p === part ? { ...p, data: "{not json" } : p)),
      message: rows.message.map((m) => (m === message ? { ...m, data: "garbage" } : m)),
    });
    const report = await importOpencodeDb(database.client, damaged, { runnerName: "damaged" });
    expect(report.failed).toEqual([]);
    expect(report.unreadable).toBe(2);
  });
});
