import { createRunnerClient, type RunnerEndpoint } from "~/server/runtime/client";
import { ArchiveError } from "./errors";
import { newest, parentsFirst, type ReadOptions, type SourceSession, type SourceStatus, type TreeSource } from "./source";

// The complete state of a tree from a serving opencode: session.get for the root,
// session.children level by level, and session.messages / session.todo for every member.
// (ESM-only SDK: this file is for the app, not for tsx CLI scripts.)

export class RunnerSource implements TreeSource {
  readonly kind = "runner";

  constructor(
    private readonly endpoint: RunnerEndpoint,
    private readonly directory: string,
  ) {}

  async loadTree(rootOpencodeId: string, options: ReadOptions = {}) {
    const client = this.client();
    const children = (id: string) => client.session.children({ sessionID: id }).then((r) => (r.data ?? []) as SourceSession["info"][]);
    // A session's messages and todos are asked for as soon as the session is known, the root's
    // with the root itself: a sync after every turn of a long session is mostly these round trips.
    const contents = new Map<string, Promise<Pick<SourceSession, "messages" | "since" | "todos">>>();
    const read = (id: string) => {
      const loaded = Promise.all([
        this.loadMessages(id, options.recent),
        client.session.todo({ sessionID: id }).then((r) => r.data ?? [], () => []),
      ]).then(([messages, todos]) => ({ ...messages, todos: todos.length > 0 ? todos : undefined }));
      loaded.catch(() => undefined); // awaited below, unless the root is gone
      contents.set(id, loaded);
    };
    read(rootOpencodeId);
    const [root, status, rootChildren] = await Promise.all([
      // Gone from the runner: no data (404). Not answering at all is not "gone": said as such.
      client.session.get({ sessionID: rootOpencodeId }).then(
        (r) => r.data,
        (error: unknown) => {
          throw unreachable(this.endpoint, error);
        },
      ),
      client.session.status().then(({ data }) => ({ data }), (error: unknown) => ({ error })),
      children(rootOpencodeId).catch(() => []),
    ]);
    if (!root) return undefined;
    if ("error" in status) throw status.error;
    const statuses = status.data;
    const infos = [root as SourceSession["info"], ...rootChildren];
    for (let level = rootChildren; level.length > 0; ) {
      for (const child of level) read(child.id);
      const next = (await Promise.all(level.map((child) => children(child.id)))).flat().filter((child) => !infos.some((known) => known.id === child.id));
      infos.push(...next);
      level = next;
    }
    const sessions = await Promise.all(
      infos.map(async (info): Promise<SourceSession> => {
        const status = (statuses?.[info.id] as SourceStatus | undefined) ?? { type: "idle" };
        return { info, ...(await contents.get(info.id)!), status };
      }),
    );
    return { root: rootOpencodeId, sessions: parentsFirst(rootOpencodeId, sessions) };
  }

  async loadMessages(sessionId: string, recent?: number) {
    // With a limit, opencode answers the newest messages, oldest first.
    const { data } = await this.client().session.messages({ sessionID: sessionId, ...(recent ? { limit: recent } : {}) });
    return newest(data ?? [], recent);
  }

  private client() {
    return createRunnerClient(this.endpoint, { directory: this.directory });
  }
}

/** The root of the tree `opencodeId` belongs to on the runner, or undefined if it is gone. */
export async function findRunnerRoot(endpoint: RunnerEndpoint, directory: string, opencodeId: string): Promise<string | undefined> {
  const client = createRunnerClient(endpoint, { directory });
  let id = opencodeId;
  for (let depth = 0; depth < 64; depth++) {
    const info = await client.session.get({ sessionID: id }).then((r) => r.data, () => undefined);
    if (!info) return undefined;
    if (!info.parentID) return info.id;
    id = info.parentID;
  }
  return undefined;
}

/**
 * Whether the runner still has the session: false only when it answers "not found"; undefined
 * when it could not tell (unreachable, another error), which is not proof the session is gone.
 */
export async function runnerHasSession(endpoint: RunnerEndpoint, directory: string, opencodeId: string): Promise<boolean | undefined> {
  return createRunnerClient(endpoint, { directory })
    .session.get({ sessionID: opencodeId })
    .then(
      (r) => Boolean(r.data),
      (error: unknown) => (isNotFound(error) ? false : undefined),
    );
}

// The SDK wraps HTTP errors: an Error whose cause carries the status (and the body).
function isNotFound(error: unknown): boolean {
  const cause = (error as { cause?: { status?: unknown } } | null)?.cause;
  return cause?.status === 404 || (error as { name?: unknown } | null)?.name === "NotFoundError";
}

/** A runner that did not answer: the archive keeps what it had, and says why it could not sync. */
function unreachable(endpoint: RunnerEndpoint, error: unknown): ArchiveError {
  const cause = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
  return new ArchiveError("runner_unavailable", `The runner at ${new URL(endpoint.url).host} cannot be reached (${cause}); the archive keeps what it had.`);
}
