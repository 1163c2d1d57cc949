import fs from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { Event } from "@opencode-ai/sdk/v2/types";
import type { OpencodeClient } from "./client";

// Shared by the runtime tests only.

/** True while the process exists and is not a zombie (containers may never reap orphans). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Live members of a process group. */
export function groupMembers(pgid: number): number[] {
  return fs
    .readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return fields[0] !== "Z" && Number(fields[2]) === pgid;
      } catch {
        return false;
      }
    });
}

export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what = "condition") {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(25);
  }
}

/** Everything a runner's /event stream said, with a way to wait for what comes next. */
export class EventLog {
  readonly events: Event[] = [];
  private readonly abort = new AbortController();
  private readonly waiters = new Set<() => void>();

  private constructor() {}

  static async open(client: OpencodeClient): Promise<EventLog> {
    const log = new EventLog();
    const { stream } = await client.event.subscribe(undefined, { signal: log.abort.signal });
    void (async () => {
      for await (const event of stream) {
        log.events.push(event);
        for (const wake of log.waiters) wake();
      }
    })().catch(() => {});
    await log.waitFor((e) => e.type === "server.connected", 10_000, "server.connected");
    return log;
  }

  /** The first event (already seen or still to come) that matches. */
  async waitFor<T extends Event = Event>(match: (e: Event) => e is T, timeoutMs: number, what: string): Promise<T>;
  async waitFor(match: (e: Event) => boolean, timeoutMs: number, what: string): Promise<Event>;
  async waitFor(match: (e: Event) => boolean, timeoutMs: number, what: string): Promise<Event> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.events.find(match);
      if (found) return found;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          this.waiters.delete(wake);
          resolve();
        };
        const timer = setTimeout(wake, left);
        this.waiters.add(wake);
      });
    }
  }

  close() {
    this.abort.abort();
  }
}
