import type { Config } from "@opencode-ai/sdk/v2/types";
import { wildcardMatch } from "./wildcard";

type Action = "allow" | "ask" | "deny";

/**
 * The action the runner's `permission` config gives one (permission, pattern), as opencode reads
 * it: each key in order becomes rules, the last matching rule wins. Undefined when no rule
 * matches (the agent's defaults decide then, which Flightdeck does not know).
 */
export function configuredAction(config: Config["permission"], permission: string, pattern: string): Action | undefined {
  if (config === undefined) return undefined;
  const rules: { permission: string; pattern: string; action: Action }[] =
    typeof config === "string"
      ? [{ permission: "*", pattern: "*", action: config }]
      : Object.entries(config).flatMap(([key, value]) => {
          if (value === undefined) return [];
          if (typeof value === "string") return [{ permission: key, pattern: "*", action: value }];
          return Object.entries(value).map(([p, action]) => ({ permission: key, pattern: p, action }));
        });
  return rules.findLast((r) => wildcardMatch(permission, r.permission) && wildcardMatch(pattern, r.pattern))?.action;
}
