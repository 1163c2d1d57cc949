import type { Config } from "@opencode-ai/sdk/v2/types";
import type { Services } from "~/server/services";
import { createRunnerClient } from "~/server/runtime/client";
import { configuredAction } from "./configured";
import { rememberedRules, type RememberedRule } from "./rules";
import { wildcardMatch } from "./wildcard";

/** What reading auto-approvals needs of the app. */
type AutoApprovalDeps = Pick<Services, "db" | "runners">;

/** A tool call the runner let through without asking, because of a rule remembered earlier. */
export type AutoApproval = {
  callId: string;
  permission: string;
  /** What the call asked for (a bash command), as the rule's patterns were matched against it. */
  pattern: string;
  at: Date | null;
  rule: Pick<RememberedRule, "id" | "patterns" | "session" | "by" | "at">;
};

/**
 * opencode emits nothing when a remembered rule approves a call (Permission.ask returns without
 * an event), so this is derived: a `bash` call of the session that asked nothing, started after
 * an "always" reply in the same runner and directory whose pattern covers its command, while
 * the runner's `permission` config says "ask" for that command (so without a rule it would have
 * asked). The rule named is the latest such reply before the call, from any runner process, so
 * the note outlives a restart; after one, a call that still asked nothing was approved by a rule
 * given outside Flightdeck, and the note would name the wrong one. Other tools are not derived
 * (their patterns are not in the call's input). Empty while the runner cannot say its config.
 */
export async function autoApprovals(deps: AutoApprovalDeps, sessionRowId: string): Promise<AutoApproval[]> {
  const session = await deps.db.session.findUnique({ where: { id: sessionRowId }, select: { runnerId: true, directory: true } });
  if (!session) return [];
  // Rules of earlier runner processes too: a call made before a restart keeps its note after it.
  const rules = (await rememberedRules(deps.db, session.runnerId, { directory: session.directory, anyInstance: true })).filter(
    (r) => r.permission === "bash",
  );
  if (rules.length === 0) return [];
  const [calls, asked] = await Promise.all([
    deps.db.toolSpan.findMany({
      where: { sessionId: sessionRowId, tool: "bash" },
      select: { callId: true, input: true, startedAt: true },
      orderBy: { startedAt: "asc" },
    }),
    deps.db.waitSpan.findMany({ where: { sessionId: sessionRowId, kind: "permission", callId: { not: null } }, select: { callId: true } }),
  ]);
  const askedCalls = new Set(asked.map((w) => w.callId));
  const candidates = calls.filter((c) => !askedCalls.has(c.callId) && typeof commandOf(c.input) === "string");
  if (candidates.length === 0) return [];
  const config = await runnerPermissionConfig(deps, session.runnerId, session.directory);
  if (config === null) return [];
  return candidates.flatMap((call): AutoApproval[] => {
    const command = commandOf(call.input)!;
    if (configuredAction(config, "bash", command) !== "ask") return [];
    // The latest matching rule chosen before the call (rules come oldest first).
    const rule = rules.findLast((r) => (!call.startedAt || r.at <= call.startedAt) && r.patterns.some((p) => wildcardMatch(command, p)));
    if (!rule) return [];
    return [{ callId: call.callId, permission: "bash", pattern: command, at: call.startedAt, rule: { id: rule.id, patterns: rule.patterns, session: rule.session, by: rule.by, at: rule.at } }];
  });
}

function commandOf(input: unknown): string | undefined {
  const command = (input as { command?: unknown } | null)?.command;
  return typeof command === "string" ? command : undefined;
}

/** The runner's `permission` config for the directory; null when the runner cannot say. */
async function runnerPermissionConfig(deps: AutoApprovalDeps, runnerId: string, directory: string): Promise<Config["permission"] | null> {
  const link = await deps.runners.link(runnerId);
  if (!link) return null;
  try {
    const { data } = await createRunnerClient(link.endpoint, { directory, timeoutMs: 10_000 }).config.get(undefined, { throwOnError: true });
    return data.permission;
  } catch {
    return null;
  }
}
