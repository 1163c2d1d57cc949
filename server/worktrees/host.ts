import type { RunnerEndpoint } from "~/server/runtime/client";

/**
 * The runner a worktree lives on. `local`: its file system is the app's own (the embedded
 * runner), so git can be run there for what opencode's API does not offer.
 */
export type WorktreeHost = { endpoint: RunnerEndpoint; local: boolean };
