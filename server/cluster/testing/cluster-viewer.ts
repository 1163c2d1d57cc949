import { setTimeout as sleep } from "node:timers/promises";
import { firstSeq } from "~/server/hub/ring-buffer";
import type { SessionEvent } from "~/server/stream";
import { httpSessionChunks } from "~/server/testing/http-session-events";
import { StreamViewer } from "~/server/testing/stream-viewer";
import type { Cluster, ClusterInstance } from "./cluster";

/**
 * A browser behind a load balancer watching one session tree over HTTP/SSE: it stays on its
 * instance while that one lives; when its connection fails it reconnects with its last event
 * id, to the next live instance if its own died. It keeps every event it applied (snapshots
 * apart) so viewers on different instances can be compared.
 */
export class ClusterViewer extends StreamViewer {
  /** Every event applied, in order, snapshots left out. */
  readonly events: SessionEvent[] = [];
  /**
   * Snapshots older than what the viewer already showed: its text went back before the events
   * it had came again (each then counts as a duplicate too).
   */
  readonly rewinds: { shown: number; snapshot: number }[] = [];
  private newest = 0;
  /** The last records it applied (kind@seq), to say where a viewer that never finished stopped. */
  private readonly recent: string[] = [];
  /** Where each gap came: the records before it and the event after. */
  readonly gapsAt: string[] = [];
  /** Connections that failed or ended before the turns did (not closed by the viewer itself). */
  failures = 0;
  /** Why the last failed connection failed ("ended" when it ended without an error). */
  private lastFailure = "";
  // Read by the connection source, which exists before `this` does.
  private readonly route: { instance: ClusterInstance; stopped: AbortController };

  /** `turns`: how many turns of the root session it follows before it is finished. */
  constructor(cluster: Cluster, home: ClusterInstance, sessionId: string, opencodeId: string, turns = 1) {
    const route = { instance: home, stopped: new AbortController() };
    super((lastEventId, signal) => {
      if (!route.instance.alive) route.instance = nextAlive(cluster, route.instance);
      return httpSessionChunks(route.instance.client.base, sessionId)(lastEventId, AbortSignal.any([signal, route.stopped.signal]));
    }, opencodeId, turns);
    this.route = route;
  }

  /** The instance it is (or was last) connected to. */
  get instance(): ClusterInstance {
    return this.route.instance;
  }

  protected override receive(event: SessionEvent): void {
    if (event.kind !== "snapshot") this.events.push(event);
    else if (event.seq < this.newest) this.rewinds.push({ shown: this.newest, snapshot: event.seq });
    this.newest = Math.max(this.newest, event.seq);
    const gaps = this.gaps;
    super.receive(event);
    if (this.gaps > gaps) this.gapsAt.push(`${this.recent.join(" ")} then ${event.kind}@${firstSeq(event)}..${event.seq} (connection ${this.failures + 1})`);
    this.recent.push(`${event.kind}@${event.seq}`);
    if (this.recent.length > 12) this.recent.shift();
  }

  /** Follows the tree until its turns are done, reconnecting as a browser does; `stop()` ends it early. */
  async follow(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.finished && !this.route.stopped.signal.aborted) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`a viewer on ${this.instance.name} did not see the end of the turn in ${timeoutMs} ms (${this.seen.size} events, ${this.failures} failed connections; ${this.whereItStopped()})`);
      // A connection that failed, or ended before the turn did: the server went away.
      this.lastFailure = "ended";
      await this.take(left).catch((error: unknown) => (this.lastFailure = error instanceof Error ? error.message : String(error)));
      if (this.finished || this.route.stopped.signal.aborted) break;
      this.failures++;
      await sleep(100);
    }
  }

  /** What it has seen of the last turn, its last records and why its last connection ended: for a test's timeout message. */
  whereItStopped(): string {
    const root = this.state.sessions[this.opencodeId];
    const last = root?.turns.at(-1);
    const answer = Object.values(root?.messages ?? {}).find((m) => m.role === "assistant" && m.turnId === last?.id);
    const answered = answer ? (answer.completedAt ? "completed" : "not completed") : "none";
    return `${this.snapshots} snapshots, status ${root?.status ?? "unknown"}, ${root?.turns.length ?? 0} turns, last answer ${answered}, last records ${this.recent.join(" ")}${this.failures ? `; last failure: ${this.lastFailure}` : ""}`;
  }

  stop(): void {
    this.route.stopped.abort();
  }
}

// A load balancer skips a backend that stopped answering: the next live one in line.
function nextAlive(cluster: Cluster, after: ClusterInstance): ClusterInstance {
  const { instances } = cluster;
  const start = instances.indexOf(after);
  for (let step = 1; step <= instances.length; step++) {
    // (A slot is empty while its instance starts.)
    const candidate = instances[(start + step) % instances.length];
    if (candidate?.alive) return candidate;
  }
  throw new Error("no instance of the cluster is alive");
}
