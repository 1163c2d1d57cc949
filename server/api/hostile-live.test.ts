import fc from "fast-check";
import { afterAll, beforeAll, expect, it } from "vitest";
import { appRouter } from "~/server/api/root";
import { createInnerContext } from "~/server/api/trpc";
import { describeEachDatabase } from "~/server/testing/database";
import { anyText } from "~/server/testing/hostile-input";
import { callOverHttp, dataOf } from "~/server/testing/http-trpc";
import { startLive, type Live } from "~/server/testing/live";
import { teamMember } from "~/server/testing/team";

// Issue #16, the writes that need a real runner: a session title with NUL, lone surrogates,
// RTL or control characters is created on the embedded runner and reads back exactly as sent.
// One runner for the whole property: starting one per run would take most of a minute.

describeEachDatabase("hostile session titles on a real runner", (database) => {
  let live: Live;
  let context: () => ReturnType<typeof createInnerContext>;
  beforeAll(async () => {
    live = await startLive(database.client);
    const admin = await teamMember(database.client, "admin");
    context = () => createInnerContext({ caller: admin, services: async () => live.services });
  });
  afterAll(() => live?.stop());

  it("session.create: an accepted title is the session's title", async () => {
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(anyText(200), async (title) => {
        const input = { runnerId: live.runnerId, directory: live.directory, title };
        const created = await callOverHttp(appRouter, context, { path: "session.create", type: "mutation", input });
        expect(created.status, created.internalError).toBeLessThan(500);
        if (created.status !== 200) return;
        accepted++;
        const { id } = dataOf<{ id: string }>(created);
        const shown = await callOverHttp(appRouter, context, { path: "session.get", type: "query", input: { sessionId: id } });
        expect(dataOf<{ title: string }>(shown).title).toBe(title);
      }),
      { numRuns: Number(process.env.HOSTILE_RUNS ?? 12), examples: [["Title with nul:\u0000 and lone:\uDC00 end"]] },
    );
    expect(accepted, "no generated title was accepted").toBeGreaterThan(0);
  });
});
