import { afterAll, beforeAll, expect, it } from "vitest";
import { createRunnerClient } from "~/server/runtime/client";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, waitForIdleTree, waitUntil, type Live } from "~/server/testing/live";

// Text PostgreSQL refuses (NUL in text; NUL and unpaired surrogates in jsonb) goes through the
// real runner and back into the archive exactly: the live path, a full sync and the export.
// opencode 1.18 itself does not keep an unpaired surrogate in a title (it reads "lone:\uDC00 end"
// back as "lone:\uD800\uDC20end"): there the archive holds the title as the runner has it.
const TITLE = "Title with nul:\u0000 and lone:\uDC00 end";
const PROMPT = "Prompt with nul:\u0000 high:\uDBFF low:\uDC00 escape:\uFDD0. demo:text";

describeEachDatabase("lossless archive with the real runner", (database) => {
  let live: Live;
  let rootId: string;

  beforeAll(async () => {
    live = await startLive(database.client, { archive: { idleMs: 0, sweepMs: 0, retention: { everyMs: 0 } } });
    rootId = (await live.api.session.create({ runnerId: live.runnerId, directory: live.directory, title: TITLE })).id;
    await live.api.session.prompt({ sessionId: rootId, text: PROMPT });
    await waitForIdleTree(live.services, rootId, 90_000);
  }, 180_000);

  afterAll(async () => {
    await live?.stop();
  });

  const exportedTexts = async () => {
    // As the export route sends it: JSON text, which escapes lone surrogates and NULs.
    const exported = JSON.parse(JSON.stringify(await live.api.archive.exportJson({ sessionId: rootId }))) as {
      session: { title: string; turns: { messages: { role: string; parts: { type: string; text: string | null }[] }[] }[] };
    };
    const prompts = exported.session.turns.flatMap((t) =>
      t.messages.filter((m) => m.role === "user").flatMap((m) => m.parts.filter((p) => p.type === "text").map((p) => p.text)),
    );
    return { title: exported.session.title, prompts };
  };

  const runnerTitle = async () => {
    const root = await database.client.session.findUniqueOrThrow({ where: { id: rootId } });
    const runner = createRunnerClient((await live.services.runners.link(live.runnerId))!.endpoint);
    const { data } = await runner.session.get({ sessionID: root.opencodeId, directory: live.directory });
    return data?.title;
  };

  it("the live archive holds the prompt exactly as sent and the title as the runner has it", async () => {
    const root = await database.client.session.findUniqueOrThrow({ where: { id: rootId } });
    expect(root.archiveState).not.toBe("failed");
    expect(root.title).toContain("nul:\u0000 and lone:");
    await waitUntil(async () => (await exportedTexts()).prompts.length > 0, 10_000, "the prompt in the archive");
    expect((await exportedTexts()).prompts).toEqual([PROMPT]);
  });

  it("a full sync succeeds and changes nothing, and the export holds the exact text", async () => {
    const outcome = await live.api.archive.sync({ sessionId: rootId });
    expect(outcome).toMatchObject({ sessions: 1 });
    const again = await live.api.archive.sync({ sessionId: rootId });
    expect(again).toMatchObject({ changes: 0 });
    expect(await live.api.archive.status({ sessionId: rootId })).toMatchObject({ state: "archived", error: null });
    const title = await runnerTitle();
    expect(title).toContain("nul:\u0000 and lone:");
    expect(await exportedTexts()).toEqual({ title, prompts: [PROMPT] });
  });
});
