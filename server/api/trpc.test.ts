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

  it("gives a share-link reader its one session and nothing a team member can do", async () => {
    const reader = callerFor({ kind: "share", shareLinkId: "l1", sessionId: "s1" });
    await expect(reader.shared()).resolves.toBe("s1");
    await expect(reader.read()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
    await expect(reader.run()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
