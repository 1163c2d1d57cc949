import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

type ListRow = Awaited<ReturnType<Live["api"]["session"]["list"]>>["items"][number];

describeEachDatabase("session.changes through the real opencode runner", (database) => {
  let live: Live;
  beforeAll(async () => {
    // Turns long enough to be seen running; no archive sync but the ones a test asks for.
    live = await startLive(database.client, { deltaDelayMs: 10, archive: { idleMs: 600_000, sweepMs: 0, retention: { everyMs: 0 } } });
  });
  afterAll(async () => live?.stop());

  /** A dashboard as the browser runs it: on every notice it reads the session list again. */
  async function dashboard() {
    const ac = new AbortController();
    const reads: { rootIds: string[]; rows: ListRow[] }[] = [];
    const notices = await live.apiUntil(ac.signal).session.changes();
    const reading = (async () => {
      for await (const { rootIds } of notices) reads.push({ rootIds, rows: (await live.api.session.list({ limit: 200 })).items });
    })();
    await waitUntil(() => reads.length > 0, 10_000, "the first notice");
    return {
      /** What the list showed of the session after each notice that named it (its root). */
      seen: (id: string) => reads.filter((r) => r.rootIds.includes(id)).map((r) => r.rows.find((row) => row.id === id)),
      async stop() {
        ac.abort();
        await reading;
      },
    };
  }

  it("names a prompted session as it is created, runs and goes idle: the list read on each notice shows it", async () => {
    const watch = await dashboard();
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Pushed" });
    await waitUntil(() => watch.seen(id).some((row) => row?.title === "Pushed"), 20_000, "a notice naming the new session");

    const before = watch.seen(id).length;
    await live.api.session.prompt({ sessionId: id, text: `Count. ${marker("long", 200)}` });
    const statuses = () => watch.seen(id).slice(before).map((row) => row?.displayStatus);
    await waitUntil(
      () => statuses().includes("running") && statuses().at(-1) === "idle" && (watch.seen(id).at(-1)?.tree.tokensOutput ?? 0) > 0,
      60_000,
      "notices showing the turn run and end",
    );
    expect(statuses().indexOf("running")).toBeLessThan(statuses().lastIndexOf("idle"));
    await watch.stop();
  });

  it("names the session's root when its archive is synced and when it is deleted", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: "Archived" });
    await live.api.session.prompt({ sessionId: id, text: marker("text") });
    await waitForIdleTree(live.services, id);
    const watch = await dashboard();

    // Nothing streams now: only the sync itself can say so.
    await live.api.archive.sync({ sessionId: id });
    await waitUntil(() => watch.seen(id).at(-1)?.archiveState === "archived", 20_000, "a notice showing the tree archived");

    const before = watch.seen(id).length;
    await live.api.session.delete({ sessionId: id });
    // Gone from its runner, it leaves the dashboard's list.
    await waitUntil(() => watch.seen(id).length > before && watch.seen(id).at(-1) === undefined, 20_000, "a notice dropping the deleted session");
    await watch.stop();
  });
});
