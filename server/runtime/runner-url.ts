import { z } from "zod";

/**
 * `path` under a runner's base URL, keeping the base's own path: a runner behind a reverse proxy
 * at http://host/opencode serves its events at /opencode/event (`new URL("/event", base)` would
 * drop the prefix, while the SDK keeps it).
 */
export function runnerUrl(base: string, path: string): URL {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, "")}/${path.replace(/^\/+/, "")}`;
  return url;
}

/** Why a runner URL cannot be used, or undefined when it can. */
export function runnerUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "it is not a URL";
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return `it must start with http:// or https:// (not ${url.protocol}//)`;
  // Credentials in a URL end up in logs, lists and error messages: they go in their own fields.
  if (url.username || url.password) return "it must not contain a user name or password (user:pass@); enter them in their own fields";
  if (url.search || url.hash) return "it must not have a query (?) or fragment (#)";
  return undefined;
}

/**
 * A runner's base URL, checked and without a trailing slash, so the SDK (which appends paths
 * such as `/session`) and `runnerUrl` build the same addresses.
 */
export const runnerUrlSchema = z
  .string()
  .trim()
  .superRefine((value, ctx) => {
    const problem = runnerUrlProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `Runner URL ${JSON.stringify(redactUserinfo(value))} cannot be used: ${problem}.` });
  })
  .transform((value) => {
    const url = new URL(value);
    return `${url.origin}${url.pathname.replace(/\/+$/, "")}`;
  });

/** The checked, normalized URL; throws an Error saying what is wrong with it. */
export function parseRunnerUrl(value: string): string {
  const parsed = runnerUrlSchema.safeParse(value);
  if (!parsed.success) throw new Error(parsed.error.issues[0]!.message);
  return parsed.data;
}

/** The URL as it may be shown back: any `user:pass@` replaced. */
function redactUserinfo(value: string): string {
  return value.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1***@");
}
