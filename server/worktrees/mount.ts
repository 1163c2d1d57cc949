import { z } from "zod";
import type { Services } from "~/server/services";
import { CommandError } from "~/server/sessions/command-error";
import type { WorktreeHost } from "./host";

/** What worktree commands need of the app. */
export type WorktreeDeps = Pick<Services, "db" | "runners" | "changes">;

/** One changed file of a worktree against its base, as the runner's `vcs.diff` reports it. */
export const fileDiffSchema = z.object({
  file: z.string(),
  patch: z.string(),
  additions: z.number(),
  deletions: z.number(),
  status: z.enum(["added", "deleted", "modified"]),
});
export type FileDiff = z.infer<typeof fileDiffSchema>;

/** What worktree commands read of a mount's session. */
export const mountInclude = { session: { select: { runnerId: true, rootId: true, status: true, title: true, purgedAt: true } } } as const;

/** The session's mount with what a command needs of its session; refused when it has none. */
export async function mountOf(deps: WorktreeDeps, sessionId: string) {
  const mount = await deps.db.mount.findUnique({ where: { sessionId }, include: mountInclude });
  if (!mount || mount.session.purgedAt) throw new CommandError("NOT_FOUND", `Session ${sessionId} has no worktree of its own.`);
  return mount;
}
export type MountRow = Awaited<ReturnType<typeof mountOf>>;

/** The runner, when it serves; its files are the app's own when it is the embedded one. */
export async function runnerHost(deps: WorktreeDeps, runnerId: string): Promise<WorktreeHost> {
  const link = await deps.runners.link(runnerId);
  if (!link) throw new CommandError("PRECONDITION_FAILED", "The runner is not serving right now.");
  return { endpoint: link.endpoint, local: link.runnerId === deps.runners.embeddedRunnerId };
}

/** The worktree still exists (merged, discarded and removed ones are gone, their diff kept). */
export function assertActive(mount: MountRow): void {
  if (mount.state !== "active") throw new CommandError("PRECONDITION_FAILED", `This session's worktree was ${mount.state}; only its final diff remains.`);
}

/** Worktree commands change files under a running agent's feet: they wait for the turn to end. */
export function assertNotRunning(mount: MountRow): void {
  if (mount.session.status === "running" || mount.session.status === "waiting") {
    throw new CommandError("PRECONDITION_FAILED", "The session is running: wait for its turn to end, or abort it, first.");
  }
}
