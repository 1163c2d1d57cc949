import { randomUUID } from "node:crypto";
import { expect, it } from "vitest";
import { EventWriter } from "~/server/store/event-writer";
import { describeEachDatabase } from "~/server/testing/database";
import { resumeSeqs } from "./archive-seed";

describeEachDatabase("stream seqs across restarts", (database) => {
  async function runner() {
    return database.client.runner.create({ data: { name: `r-${randomUUID()}`, kind: "remote", url: "" } });
  }

  it("reserves seqs for a root it has never stored (creating its row), and never lowers a reservation", async () => {
    const db = database.client;
    const { id: runnerId } = await runner();
    const writer = new EventWriter(db, { runnerId, directory: "/w", onCommitted: () => {}, onError: () => {} });
    await writer.reserveSeqs("ses_new", 10_000);
    await writer.reserveSeqs("ses_new", 5_000);
    const row = await db.session.findUniqueOrThrow({ where: { runnerId_opencodeId: { runnerId, opencodeId: "ses_new" } } });
    expect(row.seqReserved).toBe(10_000);
    expect(row.lastSeq).toBe(0);
  });

  it("resumes above every reserved seq after a crash, with the archive's lastSeq moved there too", async () => {
    const db = database.client;
    const { id: runnerId } = await runner();
    const id = randomUUID();
    // Stored up to 120; seqs up to 10,000 may have reached viewers before the app died.
    await db.session.create({ data: { id, rootId: id, runnerId, opencodeId: "ses_root", directory: "/w", lastSeq: 120, seqReserved: 10_000 } });
    expect(await resumeSeqs(db, runnerId, "ses_root", 10_000)).toEqual({ resumeAt: 10_000, through: 20_000 });
    const row = await db.session.findUniqueOrThrow({ where: { id } });
    // A snapshot now says 10,000: a client holding any seq up to there resumes from it, with no gap.
    expect([row.lastSeq, row.seqReserved]).toEqual([10_000, 20_000]);
    expect(await resumeSeqs(db, runnerId, "ses_unknown", 10_000)).toBeUndefined();
  });
});
