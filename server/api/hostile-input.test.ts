import { randomUUID } from "node:crypto";
import fc from "fast-check";
import { afterAll, beforeAll, expect, it, vi } from "vitest";
import { appRouter } from "~/server/api/root";
import { createInnerContext, type InnerContext } from "~/server/api/trpc";
import type { Caller } from "~/server/auth/caller";
import { createServices, type Services } from "~/server/services";
import { describeEachDatabase, type SuiteDatabase } from "~/server/testing/database";
import { anyText, anyValue, shapedLike, type KnownIds } from "~/server/testing/hostile-input";
import { callOverHttp, dataOf, type HttpAnswer, type Wire } from "~/server/testing/http-trpc";
import { notOpencodeServer } from "~/server/testing/not-opencode";
import { teamMember } from "~/server/testing/team";
import type { z } from "zod";

// Issue #16: every procedure of the router, called by an admin over HTTP with hostile input,
// answers 2xx or 4xx (never 5xx), the app keeps answering, and what was accepted reads back
// exactly. Procedures are taken from the router, so a new one is covered without a change here.

// health.check reads the app's default database: make it the suite's.
let suiteDb: SuiteDatabase | undefined;
vi.mock("~/server/db", async (importOriginal) => ({
  ...(await importOriginal<typeof import("~/server/db")>()),
  getDb: async () => suiteDb!.client,
}));

type Procedure = { _def: { type: "query" | "mutation" | "subscription"; inputs: z.ZodType[] } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

const RUNS = Number(process.env.HOSTILE_RUNS ?? 30);

const wire: fc.Arbitrary<Wire> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: "superjson" } as const) },
  { weight: 2, arbitrary: fc.constant({ kind: "json" } as const) },
  {
    weight: 1,
    arbitrary: fc
      .oneof(
        fc.constantFrom('{"json":', "{", "null", "[]", '{"json":{},"meta":{"values":{"__proto__":["Date"]}}}', '{"json":{"a":1},"meta":{"values":{"a":["class","X"]}}}'),
        anyText(),
      )
      .map((text) => ({ kind: "text", text }) as const),
  },
);

let web: Awaited<ReturnType<typeof notOpencodeServer>>;
beforeAll(async () => {
  web = await notOpencodeServer();
});
afterAll(() => web.close());

describeEachDatabase("hostile input over the whole router", (database) => {
  let services: Services;
  let admin: Extract<Caller, { kind: "user" }>;
  let known: KnownIds;
  let runnerId: string;
  let memberId: string;
  const context = (): InnerContext => createInnerContext({ caller: admin, services: async () => services, requestId: "hostile" });
  const call = (path: string, type: Procedure["_def"]["type"], input: unknown, how?: Wire) =>
    callOverHttp(appRouter, context, { path, type, input, wire: how });

  beforeAll(async () => {
    suiteDb = database;
    const db = database.client;
    services = await createServices({ db, embeddedRunner: false, archive: { idleMs: 0, sweepMs: 0, retention: { everyMs: 0 } } });
    admin = await teamMember(db, "admin");
    memberId = (await teamMember(db, "operator")).userId;
    // Added as an admin adds one, so it is serving from the start and commands reach it.
    runnerId = (await services.runners.addRemote({ name: `web-${randomUUID()}`, url: web.url })).id;
    const session = (data: { purgedAt?: Date; deletedAt?: Date } = {}) =>
      db.session.create({ data: { opencodeId: `ses_${randomUUID()}`, runnerId, directory: "/w", title: "t", ...data } });
    const live = await session();
    const deleted = await session({ deletedAt: new Date("2026-11-01") });
    const purged = await session({ deletedAt: new Date("2026-11-01"), purgedAt: new Date("2026-11-02") });
    // One archived turn each, so message ids, turns and trees are there to be named.
    for (const { id: sessionId } of [live, deleted]) {
      const { id: turnId } = await db.turn.create({ data: { sessionId, index: 1, userMessageId: "msg_known", status: "completed" } });
      const message = await db.message.create({ data: { sessionId, turnId, opencodeId: "msg_known", role: "user", data: {}, createdAt: new Date() } });
      await db.part.create({ data: { sessionId, turnId, messageId: message.id, opencodeId: "prt_known", type: "text", text: "hi\u0000", data: {} } });
    }
    const invite = await db.invite.create({ data: { tokenHash: randomUUID(), role: "viewer", expiresAt: new Date(Date.now() + 86_400_000), createdById: admin.userId } });
    known = [live.id, deleted.id, purged.id, live.opencodeId, "msg_known", runnerId, admin.userId, memberId, invite.id];
  });
  afterAll(() => services?.stop());

  // The message is built only on failure: generated values can be too deep to print cheaply.
  const neverServerError = (path: string, answer: HttpAnswer) => {
    // A subscription's stream answers 200 before its procedure runs: its failures are logged.
    if (answer.status >= 500 || answer.internalError) expect.fail(`${path} answered ${answer.status}; on the server: ${answer.internalError}`);
  };

  for (const [path, procedure] of procedures) {
    it(`${path} (${procedure._def.type}) answers 2xx or 4xx`, async () => {
      const input = fc.oneof({ weight: 4, arbitrary: shapedLike(procedure._def.inputs[0], known) }, { weight: 1, arbitrary: anyValue(known) });
      await fc.assert(
        fc.asyncProperty(input, wire, async (value, how) => {
          neverServerError(path, await call(path, procedure._def.type, value, how));
        }),
        { numRuns: RUNS },
      );
    });
  }

  // Writes that read back without a real runner: what was accepted is exactly what is shown.
  // Calls `path` over HTTP and, when it was accepted, reads `list`; counts the accepted calls
  // so that a property no input ever passes cannot pass unnoticed.
  let accepted = 0;
  async function writeThenRead<W, R>(path: string, input: unknown, list: string): Promise<{ written: W; shown: R } | undefined> {
    const answer = await call(path, "mutation", input);
    neverServerError(path, answer);
    if (answer.status !== 200) return undefined;
    accepted++;
    return { written: dataOf<W>(answer), shown: dataOf<R>(await call(list, "query", undefined)) };
  }
  const readBack = <Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IAsyncProperty<Ts>) =>
    it(name, async () => {
      // The calls above may have demoted or disabled the admin (every known user id is fair
      // game), leaving the member the team's only admin, whose role then cannot change.
      await database.client.user.update({ where: { id: admin.userId }, data: { role: "admin", disabledAt: null } });
      accepted = 0;
      await fc.assert(property, { numRuns: RUNS });
      expect(accepted, "no generated write was accepted").toBeGreaterThan(0);
    });

  readBack(
    "runner.addRemote: an accepted name is listed as sent (trimmed)",
    fc.asyncProperty(anyText(100), async (name) => {
      const read = await writeThenRead<{ id: string }, { id: string; name: string }[]>("runner.addRemote", { name, url: web.url }, "runner.list");
      if (read) expect(read.shown.find((runner) => runner.id === read.written.id)?.name).toBe(name.trim());
    }),
  );

  readBack(
    "archive.setRunnerRetention: accepted days are the runner's retention",
    fc.asyncProperty(fc.option(fc.integer({ min: -2, max: 36_502 }), { nil: null }), async (days) => {
      type Retention = { runners: { id: string; retentionDays: number | null }[] };
      const read = await writeThenRead<unknown, Retention>("archive.setRunnerRetention", { runnerId, days }, "archive.retention");
      if (read) expect(read.shown.runners.find((runner) => runner.id === runnerId)?.retentionDays).toBe(days);
    }),
  );

  readBack(
    "team.setRole: an accepted role is the member's role",
    fc.asyncProperty(fc.oneof(fc.constantFrom("viewer", "operator", "admin", "owner", "Admin"), anyText(10)), async (role) => {
      const read = await writeThenRead<unknown, { id: string; role: string }[]>("team.setRole", { userId: memberId, role }, "team.members");
      if (read) expect(read.shown.find((member) => member.id === memberId)?.role).toBe(role);
    }),
  );

  readBack(
    "team.invite: an accepted invite is open with its role and expiry",
    fc.asyncProperty(fc.constantFrom("viewer", "operator", "admin", "guest"), fc.integer({ min: -1, max: 31 }), async (role, expiresInDays) => {
      type Invite = { id: string; role: string; expiresAt: Date };
      const read = await writeThenRead<Invite, Invite[]>("team.invite", { role, expiresInDays }, "team.invites");
      if (!read) return;
      const shown = read.shown.find((invite) => invite.id === read.written.id);
      expect(shown?.role).toBe(role);
      expect(Math.abs(shown!.expiresAt.getTime() - Date.now() - expiresInDays * 86_400_000)).toBeLessThan(60_000);
    }),
  );

  it("still answers afterwards", async () => {
    expect((await call("health.check", "query", undefined)).status).toBe(200);
    expect((await call("session.list", "query", {})).status).toBe(200);
  });
});
