import { afterAll, beforeAll, expect, it } from "vitest";
import { marker } from "~/server/model/markers";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitUntil, type Live } from "~/server/testing/live";

// What a session's status says about its latest turn, through the real runner: a failure is
// never left reading "idle", not after opencode's own idle, not after a full archive sync.
describeEachDatabase("run states on the real runner", (database) => {
  let live: Live;
  beforeAll(async () => {
    live = await startLive(database.client);
  });
  afterAll(async () => live?.stop());

  const db = () => database.client;
  const row = (id: string) => db().session.findUniqueOrThrow({ where: { id }, select: { status: true, statusReason: true } });
  const turns = (id: string) => db().turn.findMany({ where: { sessionId: id }, orderBy: { index: "asc" }, select: { status: true, error: true } });

  it("a failed turn leaves the session in error with a readable reason, listed by the Error filter, until the next turn", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: marker("error") });
    await waitUntil(async () => (await turns(id))[0]?.status === "error", 30_000, "the turn to fail");
    // opencode reports idle right after the error: the session must still read as failed then.
    const answerFailed = async () => (await db().message.findMany({ where: { sessionId: id, role: "assistant" }, select: { error: true } })).some((m) => m.error);
    await waitUntil(answerFailed, 10_000, "the answer's error (it comes after idle)");
    const reason = "The model call failed: The Demo model failed on purpose (demo:error).";
    await waitUntil(async () => (await row(id)).statusReason === reason, 10_000, "the reason");
    expect(await row(id)).toEqual({ status: "error", statusReason: reason });
    expect((await turns(id))[0]).toEqual({ status: "error", error: reason });

    const failed = await live.api.session.list({ status: "error" });
    expect(failed.items.map((s) => s.id)).toContain(id);
    expect((await live.api.session.list({ status: "idle" })).items.map((s) => s.id)).not.toContain(id);

    // A full sync reads the runner's idle session and its failed answer: the same verdict.
    await live.services.archive.syncSession(id);
    expect(await row(id)).toEqual({ status: "error", statusReason: reason });

    await live.api.session.prompt({ sessionId: id, text: marker("text") });
    await waitUntil(async () => (await turns(id)).length === 2 && (await row(id)).status === "idle", 30_000, "the next turn to finish");
    expect(await row(id)).toEqual({ status: "idle", statusReason: null });
    expect((await live.api.session.list({ status: "error" })).items.map((s) => s.id)).not.toContain(id);
  });

  it("a turn that fails before any answer (a model the runner lacks) stays in error after a full sync", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: live.directory });
    await live.api.session.prompt({ sessionId: id, text: "Hello", model: { providerID: "demo", modelID: "no-such-model" } });
    await waitUntil(async () => (await turns(id))[0]?.status === "error" && (await row(id)).status === "error", 30_000, "the turn to fail");
    // The runner keeps no answer for this turn: its idle session reads as if nothing failed.
    expect(await db().message.count({ where: { sessionId: id, role: "assistant" } })).toBe(0);
    await live.services.archive.syncSession(id);
    const after = await row(id);
    expect(after.status).toBe("error");
    expect(after.statusReason).toContain("Model not found: demo/no-such-model");
    expect((await live.api.session.list({ status: "error" })).items.map((s) => s.id)).toContain(id);
  });
});
