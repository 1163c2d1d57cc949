import { randomUUID } from "node:crypto";
import { ArchiveError } from "~/server/archive/errors";
import type { Logger } from "~/server/log";
import { CommandError } from "~/server/sessions/command-error";
import type { Redis, RedisKeys } from "./redis";

/** What an owner does for the others, by operation name. */
export type OwnerHandlers = Record<string, (runnerId: string, args: Record<string, unknown>) => Promise<unknown>>;

type Request = { id: string; from: string; op: string; args: Record<string, unknown> };
type WireError = { name: string; message: string; code?: string; kind?: string; retryAfterSeconds?: number };
type Reply = { id: string; value?: unknown; error?: WireError; notOwner?: boolean };

/** Thrown by a handler on an instance that lost the runner meanwhile: the caller asks again. */
export class NotOwnerError extends Error {}

export type OwnerRpcOptions = {
  redis: Redis;
  /** A connection of its own: Redis takes a subscribed connection for pub/sub only. */
  subscriber: Redis;
  keys: RedisKeys;
  instanceId: string;
  handlers: OwnerHandlers;
  log: Logger;
};

/**
 * Commands reach the one instance that owns a runner, whichever instance the browser asked.
 * Requests go over a pub/sub channel per runner that only its owner listens on; answers over a
 * channel per asking instance. A request nobody receives (the owner died and the next has not
 * taken over yet) is sent again until its deadline, so a failover delays commands, never loses them.
 */
export class OwnerRpc {
  private readonly pending = new Map<string, { resolve: (reply: Reply) => void }>();

  constructor(private readonly options: OwnerRpcOptions) {}

  async start(): Promise<void> {
    const { subscriber, keys, instanceId } = this.options;
    subscriber.on("message", (channel: string, text: string) => void this.received(channel, text));
    await subscriber.subscribe(keys.ownerReplies(instanceId));
  }

  /** Starts answering requests about a runner (this instance now owns it). */
  serve(runnerId: string): Promise<unknown> {
    return this.options.subscriber.subscribe(this.options.keys.ownerRequests(runnerId));
  }

  unserve(runnerId: string): Promise<unknown> {
    return this.options.subscriber.unsubscribe(this.options.keys.ownerRequests(runnerId));
  }

  /** Runs `op` on the owner of `runnerId` and returns its result, or throws its error. */
  async call<T>(runnerId: string, op: string, args: Record<string, unknown>, timeoutMs = 60_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const id = randomUUID();
      const reply = new Promise<Reply>((resolve) => this.pending.set(id, { resolve }));
      try {
        const request: Request = { id, from: this.options.instanceId, op, args };
        const heard = await this.options.redis.publish(this.options.keys.ownerRequests(runnerId), JSON.stringify(request));
        if (heard > 0) {
          const answer = await Promise.race([reply, sleep(deadline - Date.now()).then(() => undefined)]);
          if (!answer) break;
          if (!answer.notOwner) {
            if (answer.error) throw revive(answer.error);
            return answer.value as T;
          }
        }
      } finally {
        this.pending.delete(id);
      }
      if (Date.now() + 250 > deadline) break;
      await sleep(250);
    }
    throw new CommandError("PRECONDITION_FAILED", `No Flightdeck instance answered for runner ${runnerId} in time (it may be changing owner); try again.`);
  }

  private async received(channel: string, text: string): Promise<void> {
    const { keys, instanceId } = this.options;
    if (channel === keys.ownerReplies(instanceId)) {
      const reply = JSON.parse(text) as Reply;
      this.pending.get(reply.id)?.resolve(reply);
      return;
    }
    const prefix = keys.ownerRequests("");
    if (!channel.startsWith(prefix)) return;
    const runnerId = channel.slice(prefix.length);
    const request = JSON.parse(text) as Request;
    const reply: Reply = { id: request.id };
    try {
      const handler = this.options.handlers[request.op];
      if (!handler) throw new Error(`Unknown owner operation ${request.op}`);
      reply.value = await handler(runnerId, request.args);
    } catch (error) {
      if (error instanceof NotOwnerError) reply.notOwner = true;
      else reply.error = wire(error);
    }
    await this.options.redis.publish(keys.ownerReplies(request.from), JSON.stringify(reply)).catch((error: unknown) => {
      this.options.log.warn(`[cluster] could not answer ${request.op} for runner ${runnerId}: ${error instanceof Error ? error.message : error}`);
    });
  }
}

function wire(error: unknown): WireError {
  if (error instanceof CommandError) return { name: "CommandError", message: error.message, code: error.code };
  if (error instanceof ArchiveError) return { name: "ArchiveError", message: error.message, kind: error.kind, retryAfterSeconds: error.retryAfterSeconds };
  return { name: "Error", message: error instanceof Error ? error.message : String(error) };
}

/** The owner's error as the asker's own, so routers map it the same way. */
function revive(error: WireError): Error {
  if (error.name === "CommandError") return new CommandError(error.code as CommandError["code"], error.message);
  if (error.name === "ArchiveError") return new ArchiveError(error.kind as ArchiveError["kind"], error.message, error.retryAfterSeconds);
  return new Error(error.message);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, ms)));
