import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it } from "vitest";
import {
  adminProcedure,
  createCallerFactory,
  createInnerContext,
  createTRPCRouter,
  operatorProcedure,
  shareProcedure,
  viewerProcedure,
} from "./trpc";
import type { Caller } from "~/server/auth/caller";

const probe = createTRPCRouter({
  broken: viewerProcedure.query(() => {
    throw new Error("connect ECONNREFUSED 10.0.0.7:5432 at /srv/app/chunk-abc.js:439:94416");
  }),
  read: viewerProcedure.query(() => "read"),
  run: operatorProcedure.mutation(() => "run"),
  manage: adminProcedure.mutation(() => "manage"),
  shared: shareProcedure.query(({ ctx }) => ctx.caller.sessionId),
});
const noServices = () => Promise.reject(new Error("this probe uses no services"));
const callerFor = (caller: Caller) => createCallerFactory(probe)(createInnerContext({ caller, services: noServices }));
const user = (role: "viewer" | "operator" | "admin"): Caller => ({ kind: "user", userId: "u1", name: "U", email: "u@x.test", role });

describe("procedure builders", () => {
  it("lets each role do what its rank allows and forbids the rest", async () => {
    const viewer = callerFor(user("viewer"));
    await expect(viewer.read()).resolves.toBe("read");
    await expect(viewer.run()).rejects.toMatchObject({ code: "FORBIDDEN" });

    const operator = callerFor(user("operator"));
    await expect(operator.run()).resolves.toBe("run");
    await expect(operator.manage()).rejects.toMatchObject({ code: "FORBIDDEN" });

    await expect(callerFor(user("admin")).manage()).resolves.toBe("manage");
  });

  it("treats anonymous callers as signed out everywhere but public procedures", async () => {
    const anon = callerFor({ kind: "anonymous" });
    await expect(anon.read()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(anon.shared()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });

  // What a reader may see of its own tree is tested against a database (server/share/links.integration.test.ts).
  it("lets a share-link reader do nothing a team member can", async () => {
    const reader = callerFor({ kind: "share", shareLinkId: "l1", sessionId: "s1" });
    await expect(reader.read()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(reader.run()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});

describe("internal errors", () => {
  it("tell the user which request failed, never the internals", async () => {
    const response = await fetchRequestHandler({
      endpoint: "/api/trpc",
      req: new Request("http://localhost/api/trpc/broken"),
      router: probe,
      createContext: () => createInnerContext({ caller: user("viewer"), services: noServices, requestId: "req-42" }),
    });
    expect(response.status).toBe(500);
    const body = JSON.stringify(await response.json());
    expect(body).toContain("Something went wrong on the server (request req-42)");
    expect(body).not.toContain("ECONNREFUSED");
    expect(body).not.toContain("chunk-abc");
  });
});
