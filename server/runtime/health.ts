import { z } from "zod";
import { runnerUrl } from "./runner-url";

// Runner identity and health without the SDK: the SDK is ESM-only (its exports have no
// `require` condition), and the supervisor must also load from CommonJS (tsx scripts).

export type RunnerCredentials = { username: string; password: string };

/** Where a runner serves. Remote runners may have no credentials. */
export type RunnerEndpoint = { url: string; credentials?: RunnerCredentials };

export function basicAuth({ username, password }: RunnerCredentials): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
}

const healthSchema = z.object({ healthy: z.boolean(), version: z.string() });
export type RunnerHealth = z.infer<typeof healthSchema>;

/** `GET /global/health` is the endpoint that reports the server version. Throws when unreachable. */
export async function fetchRunnerHealth(endpoint: RunnerEndpoint, timeoutMs = 2_000): Promise<RunnerHealth> {
  const res = await fetch(runnerUrl(endpoint.url, "/global/health"), {
    headers: endpoint.credentials ? { authorization: basicAuth(endpoint.credentials) } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new Error(`runner health: HTTP ${res.status}`);
  return healthSchema.parse(await res.json());
}
