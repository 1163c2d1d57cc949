import type { Redis } from "ioredis";
import type { ChangeFeed } from "~/server/hub/change-feed";
import type { Logger } from "~/server/log";
import type { RedisKeys } from "./redis";

export type ChangeRelayOptions = {
  /** Shared connection, for publishing; not closed by `close()`. */
  redis: Redis;
  /** Opens this relay's own subscriber connection; closed by `close()`. */
  connect: (name: string) => Redis;
  keys: RedisKeys;
  instanceId: string;
  log: Logger;
};

type ChangeMessage = { from: string; rootIds: string[] };

/**
 * The dashboards' change feed across instances: what writers on this instance notify is
 * published on `changesChannel`, and what other instances published is delivered to this
 * instance's feed (its subscribers and watchers), never published again. Pub/sub keeps
 * nothing: a notice sent while this instance had lost Redis is not heard here.
 */
export class ChangeRelay {
  private readonly subscriber: Redis;
  private readonly subscribed: Promise<void>;

  constructor(
    private readonly feed: ChangeFeed,
    private readonly options: ChangeRelayOptions,
  ) {
    const { keys, instanceId, log } = options;
    this.subscriber = options.connect(`flightdeck:${instanceId}:changes`);
    this.subscriber.on("message", (channel: string, message: string) => {
      if (channel === keys.changesChannel) this.onMessage(message);
    });
    this.subscribed = this.subscriber.subscribe(keys.changesChannel).then(
      () => undefined,
      (error: unknown) => log.error({ err: error }, "change channel not subscribed"),
    );
    feed.relayTo((rootIds) => this.publish(rootIds));
  }

  /** Resolves once messages from other instances are heard. */
  ready(): Promise<void> {
    return this.subscribed;
  }

  private publish(rootIds: readonly string[]): void {
    if (rootIds.length === 0) return;
    const message: ChangeMessage = { from: this.options.instanceId, rootIds: [...rootIds] };
    this.options.redis
      .publish(this.options.keys.changesChannel, JSON.stringify(message))
      .catch((error: unknown) => this.options.log.warn({ err: error }, "tree changes not relayed to other instances"));
  }

  private onMessage(raw: string): void {
    let message: ChangeMessage;
    try {
      message = JSON.parse(raw) as ChangeMessage;
    } catch {
      this.options.log.warn({ raw }, "unreadable change message");
      return;
    }
    // This instance's feed heard it when it was notified.
    if (message.from === this.options.instanceId || !Array.isArray(message.rootIds)) return;
    this.feed.deliver(message.rootIds);
  }

  close(): void {
    this.feed.relayTo(undefined);
    this.subscriber.disconnect();
  }
}
