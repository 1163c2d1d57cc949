import { createOpencodeClient, type OpencodeClient } from "@opencode-ai/sdk/v2";
import type { Agent, Provider } from "@opencode-ai/sdk/v2/types";
import { basicAuth, type RunnerEndpoint } from "./health";

export type { OpencodeClient };
export { fetchRunnerHealth, type RunnerCredentials, type RunnerEndpoint, type RunnerHealth } from "./health";

/** No runner request may hang a caller (a bridge queue, a page) for longer than this. */
const RUNNER_REQUEST_TIMEOUT_MS = 60_000;

/**
 * An SDK v2 client for one runner. Calls throw on HTTP errors (pass `{ throwOnError: true }`
 * per call as well to get non-optional `data` types). `directory` scopes calls to one project.
 */
export function createRunnerClient(
  endpoint: RunnerEndpoint,
  options: { directory?: string; timeoutMs?: number } = {},
): OpencodeClient {
  const timeoutMs = options.timeoutMs ?? RUNNER_REQUEST_TIMEOUT_MS;
  return createOpencodeClient({
    baseUrl: endpoint.url,
    directory: options.directory,
    throwOnError: true,
    // A runner that accepts a connection and never answers (mid-restart, overloaded) fails the
    // call with a timeout instead of blocking whoever waits on it.
    fetch: (input: RequestInfo | URL, init?: RequestInit) => {
      const signals = [AbortSignal.timeout(timeoutMs)];
      if (init?.signal) signals.push(init.signal);
      else if (input instanceof Request) signals.push(input.signal);
      return fetch(input, { ...init, signal: AbortSignal.any(signals) });
    },
    headers: endpoint.credentials ? { authorization: basicAuth(endpoint.credentials) } : undefined,
  });
}

/** The agents a person may pick: not opencode's internal ones (compaction, summary, title), which it marks hidden. */
export async function listAgents(client: OpencodeClient): Promise<Agent[]> {
  const { data } = await client.app.agents(undefined, { throwOnError: true });
  // `hidden` is in the runner's answer, not yet in the SDK's v1 type.
  return data.filter((agent) => !(agent as Agent & { hidden?: boolean }).hidden);
}

export type ProviderCatalog = {
  /** Providers that can be used right now (configured, or with credentials found). */
  providers: Provider[];
  /** The default model id per provider id. */
  defaults: Record<string, string>;
};

export async function listProviders(client: OpencodeClient): Promise<ProviderCatalog> {
  const { data } = await client.config.providers(undefined, { throwOnError: true });
  return { providers: data.providers, defaults: data.default };
}
