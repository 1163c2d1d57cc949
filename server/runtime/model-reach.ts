import type { Provider } from "@opencode-ai/sdk/v2/types";

/** Whether the runner can call a provider's models, and if not, why (said next to them in pickers). */
export type Reach = { connected: true } | { connected: false; why: string };

/**
 * opencode lists some providers it holds no credentials for: its own "opencode" provider is
 * always there with the placeholder key "public" (free models on a hosted service, unusable
 * offline or without an account). A provider configured for the runner (source "config", the Demo
 * model's among them), found through an environment variable ("env") or a stored login ("api"),
 * or holding a key, is connected.
 */
export function providerReach(provider: Pick<Provider, "name" | "source" | "key" | "env" | "options">): Reach {
  if (provider.source !== "custom" || provider.key) return { connected: true };
  const apiKey = provider.options?.apiKey;
  if (apiKey !== undefined && apiKey !== "public") return { connected: true };
  const setting = provider.env.length > 0 ? ` (set ${provider.env.join(" or ")} on the runner)` : "";
  return { connected: false, why: `no credentials for ${provider.name}${setting}` };
}
