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

/**
 * `GET /global/health` is the endpoint that reports the server version. Throws when the runner
 * cannot be reached or is not an opencode server, saying which in words an operator can act on.
 */
export async function fetchRunnerHealth(endpoint: RunnerEndpoint, timeoutMs = 2_000): Promise<RunnerHealth> {
  const res = await fetch(runnerUrl(endpoint.url, "/global/health"), {
    headers: endpoint.credentials ? { authorization: basicAuth(endpoint.credentials) } : {},
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((error: unknown) => {
    throw new Error(unreachable(error, timeoutMs));
  });
  if (res.status === 401) {
    throw new Error(
      endpoint.credentials
        ? "it refused the username and password (HTTP 401); check its OPENCODE_SERVER_PASSWORD"
        : "it asks for a password (HTTP 401): give its OPENCODE_SERVER_PASSWORD",
    );
  }
  if (!res.ok) throw new Error(`its health check answered HTTP ${res.status}`);
  const body = healthSchema.safeParse(await res.json().catch(() => undefined));
  if (!body.success) throw new Error("it answered, but not as opencode does (is this the address of an opencode serve?)");
  return body.data;
}

function unreachable(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && error.name === "TimeoutError") return `no answer within ${timeoutMs / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
  if (cause?.code === "ECONNREFUSED") return "nothing is listening at that address (connection refused)";
  if (cause?.code === "ENOTFOUND" || cause?.code === "EAI_AGAIN") return "its host name does not resolve";
  // fetch refuses ports of other protocols (1, 9, 25…) before connecting.
  if (cause?.message === "bad port") return "its port is one HTTP clients refuse to use (a port of another protocol)";
  return `it could not be reached (${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error))})`;
}
