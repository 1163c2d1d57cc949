import type { Config } from "@opencode-ai/sdk/v2/types";
import type { Services } from "~/server/services";
import { createRunnerClient } from "~/server/runtime/client";
import { configuredAction } from "./configured";
import { rememberedRules, type RememberedRule } from "./rules";
import { wildcardMatch } from "./wildcard";

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
 * an "always" reply on the same runner process and directory whose pattern covers its command,
 * while the runner's `permission` config says "ask" for that command (so without the rule it
 * would have asked). Other tools are not derived (their patterns are not in the call's input).
 * Empty when the runner is not serving (its config cannot be read).
 */
export async function autoApprovals(services: Services, sessionRowId: string): Promise<AutoApproval[]> {
  const session = await services.db.session.findUnique({ where: { id: sessionRowId }, select: { runnerId: true, directory: true } });
  if (!session) return [];
  const rules = (await rememberedRules(services.db, session.runnerId, session.directory)).filter((r) => r.permission === "bash");
  if (rules.length === 0) return [];
  const [calls, asked] = await Promise.all([
    services.db.toolSpan.findMany({
      where: { sessionId: sessionRowId, tool: "bash" },
      select: { callId: true, input: true, startedAt: true },
      orderBy: { startedAt: "asc" },
    }),
    services.db.waitSpan.findMany({ where: { sessionId: sessionRowId, kind: "permission", callId: { not: null } }, select: { callId: true } }),
  ]);
  const askedCalls = new Set(asked.map((w) => w.callId));
  const candidates = calls.filter((c) => !askedCalls.has(c.callId) && typeof commandOf(c.input) === "string");
  if (candidates.length === 0) return [];
  const config = await runnerPermissionConfig(services, session.runnerId, session.directory);
  if (config === null) return [];
  return candidates.flatMap((call): AutoApproval[] => {
    const command = commandOf(call.input)!;
    if (configuredAction(config, "bash", command) !== "ask") return [];
    const rule = rules.find((r) => (!call.startedAt || r.at <= call.startedAt) && r.patterns.some((p) => wildcardMatch(command, p)));
    if (!rule) return [];
    return [{ callId: call.callId, permission: "bash", pattern: command, at: call.startedAt, rule: { id: rule.id, patterns: rule.patterns, session: rule.session, by: rule.by, at: rule.at } }];
  });
}

function commandOf(input: unknown): string | undefined {
  const command = (input as { command?: unknown } | null)?.command;
  return typeof command === "string" ? command : undefined;
}

/** The runner's `permission` config for the directory; null when the runner cannot say. */
async function runnerPermissionConfig(services: Services, runnerId: string, directory: string): Promise<Config["permission"] | null> {
  const link = await services.runners.link(runnerId);
  if (!link) return null;
  try {
    const { data } = await createRunnerClient(link.endpoint, { directory, timeoutMs: 10_000 }).config.get(undefined, { throwOnError: true });
    return data.permission;
  } catch {
    return null;
  }
}
