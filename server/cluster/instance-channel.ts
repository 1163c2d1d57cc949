import type { Redis } from "ioredis";
import type { Logger } from "~/server/log";
import { onReconnected } from "./redis";

export type InstanceChannelOptions<M> = {
  /** Shared connection, for publishing; not closed by `close()`. */
  redis: Redis;
  /** Opens the channel's own subscriber connection; closed by `close()`. */
  connect: (name: string) => Redis;
  channel: string;
  instanceId: string;
  log: Logger;
  /** A message another instance sent (this instance's own are not delivered back). */
  onMessage: (message: M) => void;
  /** The subscriber lost Redis and has it again: what was sent meanwhile never comes. */
  onReconnected?: () => void;
};

/**
 * A pub/sub channel between the instances of a deployment. Each message carries its sender's
 * id, so a sender, which applied its message itself, does not get it back. Pub/sub keeps
 * nothing: a message sent while an instance had lost Redis is not heard there.
 */
export class InstanceChannel<M extends object> {
  private readonly subscriber: Redis;
  private readonly subscribed: Promise<void>;
  private readonly stopListening: () => void;

  constructor(private readonly options: InstanceChannelOptions<M>) {
    const { channel, instanceId, log } = options;
    this.subscriber = options.connect(`flightdeck:${instanceId}:${channel}`);
    this.subscriber.on("message", (from: string, raw: string) => {
      if (from === channel) this.receive(raw);
    });
    this.subscribed = this.subscriber.subscribe(channel).then(
      () => undefined,
      (error: unknown) => log.error({ err: error, channel }, "channel not subscribed"),
    );
    this.stopListening = onReconnected(this.subscriber, () => options.onReconnected?.());
  }

  /** Resolves once messages from other instances are heard. */
  ready(): Promise<void> {
    return this.subscribed;
  }

  send(message: M): void {
    const { redis, channel, instanceId, log } = this.options;
    redis.publish(channel, JSON.stringify({ from: instanceId, message })).catch((error: unknown) => log.warn({ err: error, channel }, "message not sent to other instances"));
  }

  private receive(raw: string): void {
    let envelope: { from: string; message: M };
    try {
      envelope = JSON.parse(raw) as typeof envelope;
    } catch {
      this.options.log.warn({ channel: this.options.channel }, "unreadable channel message");
      return;
    }
    if (envelope.from !== this.options.instanceId && typeof envelope.message === "object" && envelope.message !== null) {
      this.options.onMessage(envelope.message);
    }
  }

  close(): void {
    this.stopListening();
    this.subscriber.disconnect();
  }
}
