import type { PrismaClient } from "~/server/generated/prisma/client";
import { fetchRunnerHealth, type RunnerEndpoint } from "~/server/runtime/client";
import type { EmbeddedRunner } from "~/server/runtime/embedded";
import type { RunnerEvent } from "~/server/runtime/supervisor";
import type { RunnerLink } from "~/server/bridge/manager";
import type { Logger } from "~/server/log";
import { parseRunnerUrl } from "~/server/runtime/runner-url";
import { SecretBox } from "./secret-box";
import { turnOpenStatuses } from "~/server/stream/session-status";
import { isImportedRunner } from "~/server/archive/imported-runner";
import { namedError } from "~/server/named-error";

/** A change to a runner that cannot be made, with what the caller should know (`missing`: no such runner). */
export class RunnerRefusal extends namedError("RunnerRefusal") {
  constructor(
    readonly kind: "missing" | "invalid",
    message: string,
  ) {
    super(message);
  }
}

export const EMBEDDED_RUNNER_NAME = "embedded";

export type RegistryDeps = {
  /** Seals remote runners' passwords at rest. */
  secrets: SecretBox;
  /** The runner serves again after a restart: its bridges must re-open and reconcile. */
  onRestarted: (link: RunnerLink, previousInstanceId: string | undefined) => Promise<void>;
  log: Logger;
};

/**
 * The Runner rows and how to reach each runner. The embedded runner's row follows its
 * supervisor; remote runners are polled for health. Credentials stay here and in the database.
 */
export class RunnerRegistry {
  private embedded: { id: string; runner: EmbeddedRunner } | undefined;
  private pollTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: PrismaClient,
    private readonly deps: RegistryDeps,
  ) {}

  async registerEmbedded(runner: EmbeddedRunner): Promise<string> {
    const instance = runner.supervisor.instance;
    const before = await this.db.runner.findUnique({ where: { name: EMBEDDED_RUNNER_NAME } });
    const data = {
      kind: "embedded" as const,
      url: instance?.url ?? "",
      status: instance ? ("healthy" as const) : ("starting" as const),
      version: instance?.version,
      instanceId: instance?.instanceId,
      modelConfigKey: runner.modelConfigKey,
      lastSeenAt: new Date(),
      lastError: null,
    };
    const row = await this.db.runner.upsert({
      where: { name: EMBEDDED_RUNNER_NAME },
      create: { name: EMBEDDED_RUNNER_NAME, ...data },
      update: data,
      select: { id: true },
    });
    // Not silently reused: sessions whose model configuration changed, and sessions whose turn
    // the previous runner process died in the middle of.
    if (before && before.modelConfigKey !== runner.modelConfigKey) {
      await this.db.session.updateMany({ where: { runnerId: row.id, deletedAt: null }, data: { stale: true } });
    } else if (before) {
      await this.db.session.updateMany({
        where: { runnerId: row.id, deletedAt: null, status: { in: [...turnOpenStatuses] } },
        data: { stale: true },
      });
    }
    this.embedded = { id: row.id, runner };
    runner.supervisor.on((event) => void this.onSupervisorEvent(row.id, event));
    // The app restarted with it: the process that ran the open turns is gone, as after a runner
    // restart (the dashboard would call them running until someone opened one).
    if (before?.instanceId && instance && before.instanceId !== instance.instanceId) {
      const link = await this.link(row.id);
      if (link) await this.deps.onRestarted(link, before.instanceId);
    }
    return row.id;
  }

  get embeddedRunnerId(): string | undefined {
    return this.embedded?.id;
  }

  /** How to reach a runner right now, or undefined when it is not serving. */
  async link(runnerId: string): Promise<RunnerLink | undefined> {
    if (this.embedded?.id === runnerId) {
      const { supervisor } = this.embedded.runner;
      const instance = supervisor.instance;
      return instance ? { runnerId, endpoint: { url: instance.url, credentials: supervisor.credentials } } : undefined;
    }
    const row = await this.db.runner.findUnique({ where: { id: runnerId } });
    if (!row || row.kind !== "remote" || row.status === "stopped") return undefined;
    return { runnerId, endpoint: this.remoteEndpoint(row) };
  }

  /**
   * Every runner password the app knows (the embedded runner's, remote runners' decrypted), so
   * share links can redact them wherever an agent printed one.
   */
  async passwords(): Promise<string[]> {
    const rows = await this.db.runner.findMany({ where: { password: { not: null } }, select: { password: true } });
    const remote = rows.map((row) => this.deps.secrets.open(row.password!));
    const embedded = this.embedded?.runner.supervisor.credentials.password;
    return embedded ? [embedded, ...remote] : remote;
  }

  /** Registers a remote runner after checking it answers; the error names what failed. */
  async addRemote(input: { name: string; url: string; username?: string; password?: string }) {
    const url = parseRunnerUrl(input.url);
    const endpoint = endpointOf({ ...input, url });
    const seen = await answering(endpoint, (why) => new Error(`The runner at ${url} cannot be added: ${why}.`));
    return this.db.runner.create({
      data: {
        name: input.name,
        kind: "remote",
        url,
        username: input.username,
        password: input.password ? this.deps.secrets.seal(input.password) : null,
        ...seen,
      },
      select: { id: true, name: true },
    });
  }

  /**
   * Changes a remote runner's name, address or credentials after checking the new ones answer
   * (as `addRemote` does): a runner that moved, or whose password changed or can no longer be
   * read (the key was lost), is fixed in place and keeps its sessions. `username` and `password`
   * undefined keep the stored ones; a null password removes it. Returns the link to reach it now.
   */
  async updateRemote(input: { runnerId: string; name: string; url: string; username?: string; password?: string | null }): Promise<RunnerLink> {
    const row = await this.db.runner.findUnique({ where: { id: input.runnerId } });
    if (!row) throw new RunnerRefusal("missing", "No such runner.");
    if (row.kind !== "remote") throw new RunnerRefusal("invalid", "The embedded runner is started by Flightdeck: its address and credentials are its own.");
    if (isImportedRunner(row)) throw new RunnerRefusal("invalid", "An imported runner does not serve: there is no address to change.");
    const url = parseRunnerUrl(input.url);
    let password = input.password;
    if (password === undefined && row.password) {
      try {
        password = this.deps.secrets.open(row.password);
      } catch (error) {
        throw new RunnerRefusal("invalid", `${error instanceof Error ? error.message : error} Enter the runner's password again.`);
      }
    }
    const username = input.username ?? row.username;
    const endpoint = endpointOf({ url, username, password });
    const seen = await answering(endpoint, (why) => new RunnerRefusal("invalid", `The runner at ${url} cannot be reached with these settings: ${why}. Nothing was changed.`));
    await this.db.runner.update({
      where: { id: row.id },
      data: { name: input.name, url, username, password: password ? this.deps.secrets.seal(password) : null, ...seen },
    });
    return { runnerId: row.id, endpoint };
  }

  /**
   * Forgets a remote runner that holds no session (one added by mistake, or whose machine is
   * gone before anything ran there). A runner with sessions stays: they are read from its archive.
   */
  async removeRemote(runnerId: string): Promise<{ name: string }> {
    const row = await this.db.runner.findUnique({ where: { id: runnerId }, select: { name: true, kind: true, _count: { select: { sessions: true } } } });
    if (!row) throw new RunnerRefusal("missing", "No such runner.");
    if (row.kind !== "remote") throw new RunnerRefusal("invalid", "The embedded runner is started by Flightdeck: FLIGHTDECK_EMBEDDED_RUNNER=0 turns it off.");
    const kept = (count: number) =>
      new RunnerRefusal("invalid", `${row.name} holds ${count === 1 ? "a session" : `${count} sessions`} (the archive keeps them on it), so it is not removed. If it moved, change its address.`);
    if (row._count.sessions > 0) throw kept(row._count.sessions);
    await this.db.runner.delete({ where: { id: runnerId } }).catch(async (error: unknown) => {
      // A session started on it since it was counted: the foreign key keeps the runner.
      const count = await this.db.session.count({ where: { runnerId } });
      throw count > 0 ? kept(count) : error;
    });
    return { name: row.name };
  }

  /** Polls every runner's health until stop(): remote runners' state, and when each was last seen. */
  startPolling(everyMs = 30_000): void {
    this.pollTimer = setInterval(() => void Promise.all([this.pollRemotes(), this.pollEmbedded()]), everyMs);
    this.pollTimer.unref();
  }

  /**
   * The embedded runner's status follows its supervisor; only "last seen" is recorded here (the
   * supervisor reports a start, not that it still answers, so "last seen" would stay at the start).
   */
  async pollEmbedded(): Promise<void> {
    const link = this.embedded && (await this.link(this.embedded.id));
    if (!link) return;
    const health = await fetchRunnerHealth(link.endpoint, 5_000).catch(() => undefined);
    if (health?.healthy) await this.db.runner.update({ where: { id: link.runnerId }, data: { lastSeenAt: new Date() } });
  }

  stop(): void {
    clearInterval(this.pollTimer);
  }

  async pollRemotes(): Promise<void> {
    const remotes = await this.db.runner.findMany({ where: { kind: "remote", status: { not: "stopped" } } });
    await Promise.all(
      remotes.map(async (row) => {
        // Only while the runner is still reached as polled: an admin's change meanwhile is newer news.
        const asPolled = { id: row.id, url: row.url, username: row.username, password: row.password };
        try {
          const health = await fetchRunnerHealth(this.remoteEndpoint(row), 5_000);
          await this.db.runner.updateMany({
            where: asPolled,
            data: { status: health.healthy ? "healthy" : "unhealthy", version: health.version, lastSeenAt: new Date(), lastError: null },
          });
        } catch (error) {
          await this.db.runner.updateMany({
            where: asPolled,
            data: { status: "unhealthy", lastError: error instanceof Error ? error.message : String(error) },
          });
        }
      }),
    );
  }

  /** Passwords stored before they were encrypted are rewritten sealed (run once at start). */
  async sealLegacyPasswords(): Promise<number> {
    const withPassword = await this.db.runner.findMany({ where: { password: { not: null } }, select: { id: true, password: true } });
    const legacy = withPassword.filter((row) => !SecretBox.isSealed(row.password!));
    for (const row of legacy) {
      await this.db.runner.update({ where: { id: row.id }, data: { password: this.deps.secrets.seal(row.password!) } });
    }
    if (legacy.length > 0) this.deps.log.info(`encrypted the stored password of ${legacy.length} runner(s)`);
    return legacy.length;
  }

  private remoteEndpoint(row: { url: string; username: string | null; password: string | null }): RunnerEndpoint {
    return endpointOf({ url: row.url, username: row.username, password: row.password && this.deps.secrets.open(row.password) });
  }

  private async onSupervisorEvent(runnerId: string, event: RunnerEvent): Promise<void> {
    try {
      if (event.type === "ready") {
        const before = await this.db.runner.findUnique({ where: { id: runnerId }, select: { instanceId: true } });
        await this.db.runner.update({
          where: { id: runnerId },
          data: { url: event.url, version: event.version, instanceId: event.instanceId, status: "healthy", lastSeenAt: new Date(), lastError: null },
        });
        if (before?.instanceId && before.instanceId !== event.instanceId) {
          const link = await this.link(runnerId);
          if (link) await this.deps.onRestarted(link, before.instanceId);
        }
      } else if (event.type === "exited" || event.type === "restarting") {
        const reason = event.type === "exited" ? `opencode exited (code ${event.code}, signal ${event.signal})` : event.reason;
        await this.db.runner.update({ where: { id: runnerId }, data: { status: "unhealthy", lastError: reason } });
      } else if (event.type === "stopped") {
        await this.db.runner.update({ where: { id: runnerId }, data: { status: "stopped" } });
      }
    } catch (error) {
      this.deps.log.error(`[runners] could not record ${event.type}: ${error instanceof Error ? error.message : error}`);
    }
  }
}

/** A runner's state from a health check that must answer (adding or changing it); `refuse` words why it did not. */
async function answering(endpoint: RunnerEndpoint, refuse: (why: string) => Error) {
  const health = await fetchRunnerHealth(endpoint, 5_000).catch((error: unknown) => {
    throw refuse(error instanceof Error ? error.message : String(error));
  });
  return { status: health.healthy ? ("healthy" as const) : ("unhealthy" as const), version: health.version, lastSeenAt: new Date(), lastError: null };
}

function endpointOf(row: { url: string; username?: string | null; password?: string | null }): RunnerEndpoint {
  return {
    url: row.url,
    credentials: row.password ? { username: row.username || "opencode", password: row.password } : undefined,
  };
}
