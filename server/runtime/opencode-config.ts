import { createHash } from "node:crypto";
import type { Config } from "@opencode-ai/sdk/v2/types";
import { DEMO_MODEL_ID, PERMISSION_COMMAND } from "~/server/model";
import { type Env, REAL_PROVIDER_KEYS, loadRuntimeEnv } from "./env";

export const DEMO_PROVIDER_ID = "flightdeck-demo";
export const DEMO_MODEL = { providerID: DEMO_PROVIDER_ID, modelID: DEMO_MODEL_ID } as const;
/** How deep sub-agents may nest (the root session is depth 0). */
export const SUBAGENT_DEPTH = 3;

export type OpencodeConfigInput = {
  /** The scripted model's OpenAI-compatible base URL (`.../v1`). */
  demoBaseURL: string;
  env?: Env;
};

export type BuiltOpencodeConfig = {
  config: Config;
  /** Changes exactly when the models a session could be using change (see modelConfigKey). */
  modelConfigKey: string;
  /** True when new sessions default to the Demo model. */
  usesDemoModel: boolean;
};

function demoProvider(baseURL: string): NonNullable<Config["provider"]> {
  return {
    [DEMO_PROVIDER_ID]: {
      name: "Flightdeck demo",
      npm: "@ai-sdk/openai-compatible",
      // The scripted model checks no key, but the AI SDK refuses to call without one.
      options: { baseURL, apiKey: "flightdeck-demo" },
      models: {
        [DEMO_MODEL_ID]: {
          name: "Demo model",
          reasoning: true,
          tool_call: true,
          // Fictional prices, so cost totals have something to add up in a demo.
          cost: { input: 1, output: 4 },
          limit: { context: 200_000, output: 32_000 },
        },
      },
    },
  };
}

export function buildOpencodeConfig({ demoBaseURL, env = process.env }: OpencodeConfigInput): BuiltOpencodeConfig {
  const runtimeEnv = loadRuntimeEnv(env);
  const user = runtimeEnv.FLIGHTDECK_OPENCODE_CONFIG ?? {};
  const usesDemoModel =
    !REAL_PROVIDER_KEYS.some((k) => Boolean(env[k])) &&
    !user.model &&
    Object.keys(user.provider ?? {}).length === 0;
  const demoModel = `${DEMO_PROVIDER_ID}/${DEMO_MODEL_ID}`;

  const config: Config = {
    $schema: "https://opencode.ai/config.json",
    ...user,
    share: "disabled",
    autoupdate: false,
    // Sub-agents that spawn sub-agents (demo:task=2, and real runs): opencode allows none by
    // default. It needs both a depth above 1 and a `task` rule on the sub-agent itself, since a
    // child session gets `task: deny` unless its agent has a rule of its own.
    subagent_depth: user.subagent_depth ?? SUBAGENT_DEPTH,
    agent: withNestedTasks(user.agent),
    ...(usesDemoModel && { model: demoModel, small_model: demoModel }),
    provider: { ...demoProvider(demoBaseURL), ...user.provider },
    permission: withAskRule(user.permission),
  };
  return { config, modelConfigKey: modelConfigKey(config), usesDemoModel };
}

function withNestedTasks(agent: Config["agent"]): Config["agent"] {
  const general = agent?.general;
  if (typeof general?.permission === "string") return agent;
  return { ...agent, general: { ...general, permission: { task: "allow", ...general?.permission } } };
}

// opencode asks before running this one command, so the permission scenario has something to ask.
// A blanket "ask"/"deny" from the user config still applies to everything else.
function withAskRule(permission: Config["permission"]): Config["permission"] {
  const rule = { [`${PERMISSION_COMMAND}*`]: "ask" as const };
  if (typeof permission === "string") return { "*": permission, bash: { "*": permission, ...rule } };
  const bash = permission?.bash;
  const bashRules = typeof bash === "string" ? { "*": bash } : (bash ?? {});
  return { ...permission, bash: { ...bashRules, ...rule } };
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * A hash of the model part of the config. The demo provider's baseURL is left out on purpose:
 * the scripted model gets a new port on every start, and that does not change what a session
 * talks to.
 */
export function modelConfigKey(config: Config): string {
  const provider = { ...config.provider };
  const demo = provider[DEMO_PROVIDER_ID];
  if (demo) provider[DEMO_PROVIDER_ID] = { ...demo, options: { ...demo.options, baseURL: undefined } };
  const modelPart = { model: config.model, small_model: config.small_model, provider };
  return createHash("sha256").update(JSON.stringify(canonical(modelPart))).digest("hex").slice(0, 16);
}
