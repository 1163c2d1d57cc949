import { describe, expect, it } from "vitest";
import { providerReach } from "./model-reach";

// Shapes as `opencode serve` 1.x answers GET /config/providers with the embedded runner's config.
const opencodeZen = { name: "OpenCode Zen", source: "custom" as const, env: ["OPENCODE_API_KEY"], options: { apiKey: "public" } };
const demo = { name: "Flightdeck demo", source: "config" as const, env: [], options: { baseURL: "http://127.0.0.1:1/v1", apiKey: "flightdeck-demo" } };

describe("providerReach", () => {
  it("marks a provider listed with the placeholder key as not connected, saying how to connect it", () => {
    expect(providerReach(opencodeZen)).toEqual({
      connected: false,
      why: "no credentials for OpenCode Zen (set OPENCODE_API_KEY on the runner)",
    });
  });

  it("keeps the Demo model and providers with credentials connected", () => {
    expect(providerReach(demo)).toEqual({ connected: true });
    expect(providerReach({ ...opencodeZen, key: "sk-real" })).toEqual({ connected: true });
    expect(providerReach({ name: "Anthropic", source: "env", env: ["ANTHROPIC_API_KEY"], options: {} })).toEqual({ connected: true });
    expect(providerReach({ name: "GitHub Copilot", source: "api", env: [], options: {} })).toEqual({ connected: true });
  });

  it("does not call a custom provider without a key or variable connected", () => {
    expect(providerReach({ name: "Somewhere", source: "custom", env: [], options: {} })).toEqual({
      connected: false,
      why: "no credentials for Somewhere",
    });
  });
});
