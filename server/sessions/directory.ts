import fs from "node:fs/promises";
import path from "node:path";
import { createRunnerClient, type RunnerEndpoint } from "~/server/runtime/client";
import { shortMessage } from "~/server/store/short-message";
import { CommandError } from "./command-error";

/** Longer paths are no one's project; opencode and the event stream choke on them. */
export const MAX_DIRECTORY_BYTES = 1024;
// Most refusals come back within a fraction of a second, but opencode opens a project instance
// for a directory before listing it: over 5 s for a new one on a busy machine, over 10 s once
// under the test suite's load on a slower one, and a path it cannot open sometimes gets no
// answer at all.
const REMOTE_CHECK_MS = 20_000;

/**
 * The directory a new session on the embedded runner runs in, resolved as the app will store
 * it: it exists, is a directory, and lies under one of `roots` once `..` and symlinks are
 * resolved (so `/`, `/proc/self` or a link out of the workspace are refused).
 */
export async function localSessionDirectory(directory: string, roots: readonly string[]): Promise<string> {
  const resolved = await fs.realpath(checkedPath(directory)).catch(() => refuse(`Directory ${quoted(directory)} does not exist.`));
  const isDirectory = await fs.stat(resolved).then((stat) => stat.isDirectory(), () => false);
  if (!isDirectory) refuse(`${quoted(directory)} is not a directory.`);
  const allowed = await Promise.all(roots.map((root) => fs.realpath(root).catch(() => undefined)));
  if (!allowed.some((root) => root !== undefined && isWithin(resolved, root))) {
    refuse(`${quoted(resolved)} is outside the allowed workspace roots (${roots.join(", ")}); FLIGHTDECK_WORKSPACE_ROOTS sets them.`);
  }
  return resolved;
}

/**
 * The directory a new session on a remote runner runs in: the runner is asked to list it, since
 * only the runner sees its own file system. `..` is resolved; symlinks are the runner's business.
 */
export async function remoteSessionDirectory(endpoint: RunnerEndpoint, directory: string): Promise<string> {
  const resolved = checkedPath(directory);
  const client = createRunnerClient(endpoint, { directory: resolved, timeoutMs: REMOTE_CHECK_MS });
  await client.file
    .list({ directory: resolved, path: "." })
    .catch((error: unknown) => refuse(`The runner cannot list ${quoted(resolved)} (missing, not a directory, or unreadable there): ${shortMessage(error)}`));
  return resolved;
}

// What no file system check is needed for: text that cannot be a usable directory name.
function checkedPath(directory: string): string {
  if (/[\0\r\n]/.test(directory)) refuse("A session directory cannot contain NUL or line breaks.");
  if (Buffer.byteLength(directory) > MAX_DIRECTORY_BYTES) refuse(`A session directory is at most ${MAX_DIRECTORY_BYTES} bytes long.`);
  if (!path.isAbsolute(directory)) refuse(`${quoted(directory)} is not an absolute path.`);
  return path.resolve(directory);
}

function isWithin(candidate: string, root: string): boolean {
  const relative = path.relative(root, candidate);
  const leaves = relative === ".." || relative.startsWith(`..${path.sep}`);
  return !leaves && !path.isAbsolute(relative);
}

function quoted(directory: string): string {
  return JSON.stringify(directory.length > 120 ? `${directory.slice(0, 120)}…` : directory);
}

function refuse(message: string): never {
  throw new CommandError("BAD_REQUEST", message);
}
