import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { KeyedChain } from "~/server/keyed-chain";
import { createRunnerClient, type OpencodeClient } from "~/server/runtime/client";
import { CommandError } from "~/server/sessions/command-error";
import { onRunner, runnerMessage } from "~/server/sessions/on-runner";
import { gitOver, type Git } from "./git";
import type { WorktreeHost } from "./host";
import { runnerShell, type Shell } from "./shell";

/** What `session.create` takes about a worktree: whether, from which base, and its name. */
export const worktreeOptions = z.object({
  worktree: z.boolean().optional(),
  base: z
    .string()
    .min(1)
    .max(250)
    .regex(/^[^-\s][^\s]*$/, "A base is a branch, tag or commit: no spaces, not starting with '-'")
    .optional(),
  worktreeName: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, "A worktree name is up to 63 letters, digits, '.', '_' or '-'")
    .optional(),
});
export type WorktreeOptions = z.infer<typeof worktreeOptions>;

/** What a new session's worktree is made from. */
export type WorktreeRequest = {
  /** The checkout the session was asked to run in (already checked as a directory). */
  repository: string;
  /** A branch, tag or commit of that repository; its current HEAD when absent. */
  base?: string;
  /** The worktree's name; the runner names its branch `opencode/<name>`. */
  name?: string;
};

/** A worktree as the Mount row records it. */
export type MountSpec = { repository: string; path: string; branch: string; baseRef: string | null; baseCommit: string };

/**
 * Makes a worktree on a new branch through the runner's own worktree API (so a remote runner
 * works the same), after the checks that leave nothing behind when they fail: the repository
 * has no uncommitted changes and the base exists. opencode makes it from the repository's HEAD;
 * another base is set with git afterwards, on the runner's machine (`runnerShell`).
 * Anything failing after the worktree exists removes it again.
 */
export function makeWorktree(host: WorktreeHost, request: WorktreeRequest): Promise<MountSpec> {
  return making.run(`${host.endpoint.url} ${request.repository}`, () => make(host, request));
}

// git's `worktree add` for three sessions of one repository at once once failed on a loaded
// machine with nothing but its "Preparing worktree" line: they are made one after the other.
const making = new KeyedChain();

async function make(host: WorktreeHost, request: WorktreeRequest): Promise<MountSpec> {
  const { repository } = request;
  const client = createRunnerClient(host.endpoint, { directory: repository });
  const shell = runnerShell(host, repository);
  const git = gitOver(shell);
  const [{ data: paths }, { data: vcs }, { data: changed }] = await onRunner(host.endpoint, `read the repository at ${repository}`, () =>
    Promise.all([
      client.path.get(undefined, { throwOnError: true }),
      client.vcs.get(undefined, { throwOnError: true }),
      client.vcs.status(undefined, { throwOnError: true }),
    ]),
  );
  // opencode's "worktree" is the top of the repository holding the directory ("/" for none).
  if (paths.worktree === "/" && repository !== "/") refuse(`${repository} is not in a git repository: a session gets a worktree of its own only in one.`);
  if (paths.worktree !== repository) refuse(`${repository} is inside the git repository ${paths.worktree}: a worktree is a copy of a whole repository, so start the session at its top.`);
  if (changed.length > 0) {
    const files = changed.slice(0, 5).map((f) => f.file).join(", ");
    refuse(`${repository} has uncommitted changes (${files}${changed.length > 5 ? ", …" : ""}): a worktree is made from its last commit, so commit or stash them first.`);
  }
  const base = request.base === undefined || request.base === vcs.branch ? undefined : await resolveBase(git, repository, request.base);
  const name = request.name ?? `fd-${randomBytes(4).toString("hex")}`;
  const made = await createOnRunner(client, git, repository, name, request.name === undefined);
  const { directory: path, branch = `opencode/${made.data.name}` } = made.data;
  try {
    // opencode picks another name when the branch exists; a name the caller chose must be kept.
    if (made.data.name !== name) throw new CommandError("CONFLICT", `The branch opencode/${name} already exists in ${repository}; choose another worktree name.`);
    if (base) {
      await untilCheckedOut(shell, path);
      await git.ok(path, ["reset", "--hard", "--quiet", base.commit]);
    }
    const baseCommit = base?.commit ?? (await git.ok(path, ["rev-parse", "HEAD"]));
    return { repository, path, branch, baseRef: base ? base.branch : vcs.branch ?? null, baseCommit };
  } catch (error) {
    await removeWorktree(client, path).catch(() => undefined);
    throw error;
  }
}

// A git that stopped without saying why (no "fatal:" or "error:") is tried once more, under a
// new name when Flightdeck chose it; a refusal is the caller's answer at once.
async function createOnRunner(client: OpencodeClient, git: Git, repository: string, name: string, renamable: boolean) {
  const create = (worktreeName: string) => client.worktree.create({ worktreeCreateInput: { name: worktreeName } }, { throwOnError: true });
  try {
    return await create(name);
  } catch (error) {
    if (!renamable || /fatal:|error:|not a valid object name/i.test(runnerMessage(error))) throw new CommandError("BAD_REQUEST", createRefusal(repository, error));
    await git.run(repository, ["branch", "-D", "--quiet", `opencode/${name}`]);
    return create(`fd-${randomBytes(4).toString("hex")}`).catch((again: unknown) => {
      throw new CommandError("BAD_REQUEST", createRefusal(repository, again));
    });
  }
}

// opencode makes the worktree without files (`git worktree add --no-checkout`) and checks them
// out in the background (`git reset --hard` to HEAD). Moving the branch to another base while
// that runs races it (a locked index, or HEAD read before the move and written back after):
// the worktree is moved once its index exists and is not locked.
async function untilCheckedOut(shell: Shell, path: string): Promise<void> {
  const checkedOut = `test -f "$(git rev-parse --git-path index)" && ! test -e "$(git rev-parse --git-path index.lock)"`;
  for (const deadline = Date.now() + CHECKOUT_WAIT_MS; (await shell(path, ["sh", "-c", checkedOut])).code !== 0; ) {
    if (Date.now() > deadline) throw new CommandError("PRECONDITION_FAILED", `The runner did not check out the new worktree ${path} within ${CHECKOUT_WAIT_MS / 1000} s.`);
    await sleep(100);
  }
}

const CHECKOUT_WAIT_MS = 30_000;

/** Removes a worktree and its branch through the runner's API. */
export async function removeWorktree(repositoryClient: OpencodeClient, path: string): Promise<void> {
  await repositoryClient.worktree.remove({ worktreeRemoveInput: { directory: path } }, { throwOnError: true });
}

async function resolveBase(git: Git, repository: string, base: string): Promise<{ commit: string; branch: string | null }> {
  const commit = await git.run(repository, ["rev-parse", "--verify", "--quiet", "--end-of-options", `${base}^{commit}`]);
  if (commit.code !== 0) refuse(`The base ${JSON.stringify(base)} does not exist in ${repository} (no branch, tag or commit of that name).`);
  const isBranch = (await git.run(repository, ["show-ref", "--verify", "--quiet", `refs/heads/${base}`])).code === 0;
  return { commit: commit.stdout.trim(), branch: isBranch ? base : null };
}

function createRefusal(repository: string, error: unknown): string {
  if (/not a valid object name: 'HEAD'/.test(error instanceof Error ? error.message : "")) return `${repository} has no commits yet: a worktree starts from a commit.`;
  return `The runner could not make a worktree of ${repository}: ${runnerMessage(error)}`;
}

function refuse(message: string): never {
  throw new CommandError("BAD_REQUEST", message);
}
