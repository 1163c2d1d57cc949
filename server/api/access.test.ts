import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { appRouter, createCaller } from "~/server/api/root";
import { createInnerContext, type Meta } from "~/server/api/trpc";
import type { Caller, Role } from "~/server/auth/roles";

// The whole router, procedure by procedure: who may call it is exactly what its builder
// declared. Calls that pass the role check go on to fail on their (missing) input or on the
// services this test withholds, so nothing runs; what is checked is the door.

type Procedure = { _def: { meta?: Meta; type: "query" | "mutation" | "subscription" } };
const procedures = Object.entries(appRouter._def.procedures as unknown as Record<string, Procedure>);

const callers: Record<"anonymous" | Role | "share", Caller> = {
  anonymous: { kind: "anonymous" },
  viewer: { kind: "user", userId: "00000000-0000-4000-8000-000000000001", name: "V", email: "v@x.test", role: "viewer" },
  operator: { kind: "user", userId: "00000000-0000-4000-8000-000000000002", name: "O", email: "o@x.test", role: "operator" },
  admin: { kind: "user", userId: "00000000-0000-4000-8000-000000000003", name: "A", email: "a@x.test", role: "admin" },
  share: { kind: "share", shareLinkId: "l", sessionId: "s" },
};

// What each declaration lets in; everyone else is turned away.
const allowed: Record<NonNullable<Meta["access"]>, (keyof typeof callers)[]> = {
  public: ["anonymous", "viewer", "operator", "admin", "share"],
  viewer: ["viewer", "operator", "admin"],
  operator: ["operator", "admin"],
  admin: ["admin"],
  share: ["share"],
};

// Who may call what, as the team agreed (README "Roles"). A new procedure fails the test until
// it is added here, so every door is a reviewed decision. Only health and what the sign-in and
// setup pages need before anyone has signed in are public.
const DECLARED: Record<NonNullable<Meta["access"]>, string[]> = {
  public: ["account.invite", "account.me", "account.setupNeeded", "health.check"],
  viewer: [
    "archive.exportJson", "archive.exportOutline", "archive.exportTurns", "archive.status", "archive.toolOutput", "archive.tree", "archive.view",
    "runner.list", "runner.options", "runner.rememberedRules",
    "search.facets", "search.query",
    "session.answers", "session.audit", "session.autoApprovals", "session.changes", "session.events", "session.get", "session.list", "session.needsYou", "session.olderParts", "session.permissionScope", "session.revertPreview", "session.tail",
    "session.timeline", "session.tree",
    "share.list", "share.settings",
    "trace.live", "trace.span", "trace.spans", "trace.summary",
    "usage.report", "usage.trees",
    "worktree.diff", "worktree.list", "worktree.patch",
  ],
  operator: [
    "archive.fork", "archive.sync",
    "session.abort", "session.create", "session.delete", "session.fork", "session.prompt", "session.rejectQuestion", "session.rename",
    "session.replyPermission", "session.replyQuestion", "session.revert", "session.unrevert",
    "share.create", "share.revoke",
    "worktree.discard", "worktree.merge",
  ],
  admin: [
    "archive.applyRetention", "archive.purge", "archive.retention", "archive.setRunnerRetention",
    "runner.addRemote", "runner.remove", "runner.setAlwaysAllow", "runner.setWorktreeDefault", "runner.updateRemote",
    "share.setEnabled", "share.setPatterns",
    "team.audit", "team.disable", "team.enable", "team.invite", "team.invites", "team.members", "team.revokeInvite", "team.setRole",
    "worktree.removeOrphan",
  ],
  share: ["share.downloadParts", "share.events", "share.openDownload", "share.traceSpan", "share.traceSpans", "share.traceSummary", "share.view"],
};

const noServices = () => Promise.reject(new Error("services withheld by the access test"));

async function door(path: string, caller: Caller): Promise<"open" | "UNAUTHORIZED" | "FORBIDDEN"> {
  const api = createCaller(createInnerContext({ caller, services: noServices }), { signal: AbortSignal.timeout(5_000) });
  const fn = path.split(".").reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], api) as (input?: unknown) => Promise<unknown>;
  try {
    const result = await fn(undefined);
    // A subscription that opened: close it.
    if (result && typeof result === "object" && Symbol.asyncIterator in result) await (result as AsyncGenerator).return?.(undefined);
    return "open";
  } catch (error) {
    if (error instanceof TRPCError && (error.code === "UNAUTHORIZED" || error.code === "FORBIDDEN")) return error.code;
    return "open";
  }
}

describe("every procedure declares who may call it", () => {
  it("matches the agreed table, with no procedure left undeclared", () => {
    const actual: Record<string, string[]> = { public: [], viewer: [], operator: [], admin: [], share: [] };
    for (const [path, p] of procedures) (actual[p._def.meta?.access ?? "UNDECLARED"] ??= []).push(path);
    for (const list of Object.values(actual)) list.sort();
    expect(actual).toEqual(DECLARED);
  });

  it("writes nothing through a share link", () => {
    const shareWrites = procedures.filter(([, p]) => p._def.meta?.access === "share" && p._def.type === "mutation");
    expect(shareWrites.map(([path]) => path)).toEqual([]);
  });

  // Public procedures have no door to test (the list above is the check), and calling health
  // would open the default database.
  for (const [path, procedure] of procedures.filter(([, p]) => p._def.meta?.access !== "public")) {
    it(`${path} (${procedure._def.meta?.access})`, async () => {
      const access = procedure._def.meta?.access;
      expect(access, `${path} declares no access`).toBeDefined();
      for (const [name, caller] of Object.entries(callers) as [keyof typeof callers, Caller][]) {
        const outcome = await door(path, caller);
        const expected = allowed[access!].includes(name) ? "open" : caller.kind === "user" ? "FORBIDDEN" : "UNAUTHORIZED";
        expect(outcome, `${name} calling ${path}`).toBe(expected);
      }
    });
  }
});
