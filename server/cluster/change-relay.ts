import type { Redis } from "ioredis";
import type { ChangeFeed } from "~/server/hub/change-feed";
import type { Logger } from "~/server/log";
import { InstanceChannel } from "./instance-channel";
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

/**
 * The dashboards' change feed across instances: what writers on this instance notify is
 * published on `changesChannel`, and what other instances published is delivered to this
 * instance's feed (its subscribers and watchers), never published again. Changes notified
 * while this instance had lost Redis are not heard here: once it has Redis again, its
 * dashboards read everything again and its caches forget everything.
 */
export class ChangeRelay {
  private readonly channel: InstanceChannel<{ rootIds: string[] }>;

  constructor(
    private readonly feed: ChangeFeed,
    options: ChangeRelayOptions,
  ) {
    this.channel = new InstanceChannel({
      ...options,
      channel: options.keys.changesChannel,
      onMessage: ({ rootIds }) => {
        if (Array.isArray(rootIds)) feed.deliver(rootIds);
      },
      // What other instances notified meanwhile never comes: any tree may have changed.
      onReconnected: () => feed.deliverEverything(),
    });
    feed.relayTo((rootIds) => {
      if (rootIds.length > 0) this.channel.send({ rootIds: [...rootIds] });
    });
  }

  /** Resolves once changes from other instances are heard. */
  ready(): Promise<void> {
    return this.channel.ready();
  }

  close(): void {
    this.feed.relayTo(undefined);
    this.channel.close();
  }
}
