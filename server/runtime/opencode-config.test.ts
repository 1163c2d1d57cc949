import { describe, expect, it } from "vitest";
import { PERMISSION_COMMAND } from "~/server/model";
import { buildOpencodeConfig, DEMO_PROVIDER_ID, SUBAGENT_DEPTH } from "./opencode-config";

const demoBaseURL = "http://127.0.0.1:4001/v1";

describe("buildOpencodeConfig", () => {
  it("defaults to the Demo model when no real provider is configured", () => {
    const { config, usesDemoModel } = buildOpencodeConfig({ demoBaseURL, env: {} });
    expect(usesDemoModel).toBe(true);
    expect(config.model).toBe(`${DEMO_PROVIDER_ID}/demo`);
    expect(config.small_model).toBe(`${DEMO_PROVIDER_ID}/demo`);
    const provider = config.provider?.[DEMO_PROVIDER_ID];
    expect(provider?.npm).toBe("@ai-sdk/openai-compatible");
    expect(provider?.options?.baseURL).toBe(demoBaseURL);
    expect(provider?.models?.demo?.name).toBe("Demo model");
    expect(config.share).toBe("disabled");
    expect(config.autoupdate).toBe(false);
  });

  it("leaves the default model to opencode when a provider key is in the environment", () => {
    const { config, usesDemoModel } = buildOpencodeConfig({ demoBaseURL, env: { ANTHROPIC_API_KEY: "sk-x" } });
    expect(usesDemoModel).toBe(false);
    expect(config.model).toBeUndefined();
    // The Demo model stays selectable next to the real one.
    expect(config.provider?.[DEMO_PROVIDER_ID]).toBeDefined();
  });

  it("merges FLIGHTDECK_OPENCODE_CONFIG over its own, keeping share disabled", () => {
    const user = { model: "anthropic/claude-x", share: "auto", permission: { bash: "ask", edit: "deny" } };
    const { config, usesDemoModel } = buildOpencodeConfig({
      demoBaseURL,
      env: { FLIGHTDECK_OPENCODE_CONFIG: JSON.stringify(user) },
    });
    expect(usesDemoModel).toBe(false);
    expect(config.model).toBe("anthropic/claude-x");
    expect(config.share).toBe("disabled");
    expect(config.permission).toEqual({ edit: "deny", bash: { "*": "ask", [`${PERMISSION_COMMAND}*`]: "ask" } });
  });

  it("names the variable when FLIGHTDECK_OPENCODE_CONFIG is not a JSON object", () => {
    expect(() => buildOpencodeConfig({ demoBaseURL, env: { FLIGHTDECK_OPENCODE_CONFIG: "{nope" } })).toThrow(
      /FLIGHTDECK_OPENCODE_CONFIG/,
    );
  });

  it("asks before the permission scenario's command and lets sub-agents nest", () => {
    const { config } = buildOpencodeConfig({ demoBaseURL, env: {} });
    expect(config.permission).toEqual({ bash: { [`${PERMISSION_COMMAND}*`]: "ask" } });
    expect(config.subagent_depth).toBe(SUBAGENT_DEPTH);
    expect(config.agent?.general?.permission).toEqual({ task: "allow" });
  });
});

describe("modelConfigKey", () => {
  const key = (baseURL: string, env = {}) => buildOpencodeConfig({ demoBaseURL: baseURL, env }).modelConfigKey;

  it("does not change when only the Demo model's port does", () => {
    expect(key("http://127.0.0.1:4001/v1")).toBe(key("http://127.0.0.1:5999/v1"));
  });

  it("changes when the default model or the providers change", () => {
    const base = key(demoBaseURL);
    expect(key(demoBaseURL, { OPENAI_API_KEY: "k" })).not.toBe(base);
    const withProvider = JSON.stringify({ provider: { local: { npm: "@ai-sdk/openai-compatible" } } });
    expect(key(demoBaseURL, { FLIGHTDECK_OPENCODE_CONFIG: withProvider })).not.toBe(base);
  });

  it("does not depend on the order keys were written in", () => {
    const a = JSON.stringify({ model: "p/m", provider: { p: { name: "P", npm: "x" } } });
    const b = JSON.stringify({ provider: { p: { npm: "x", name: "P" } }, model: "p/m" });
    expect(key(demoBaseURL, { FLIGHTDECK_OPENCODE_CONFIG: a })).toBe(key(demoBaseURL, { FLIGHTDECK_OPENCODE_CONFIG: b }));
  });
});
