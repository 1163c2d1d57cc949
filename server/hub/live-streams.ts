import type { Chunk, Sequenced } from "./stream-hub";

/**
 * The seam between the owner of a runner's events and the viewers of its trees. The owner (a
 * DirectoryBridge) publishes seq-stamped events; viewers subscribe with their last seq and get
 * exactly what they missed, or a snapshot and then the tail. `StreamHub` implements it in one
 * process; a broker (Redis Streams, for several instances behind a load balancer) is meant to
 * implement the same interface.
 */
export interface LiveStreams<E extends Sequenced> {
  /** Events of one stream, in seq order: the owner's side. */
  publish(key: string, events: readonly E[]): void;
  /** The owner has nothing more for this stream for now (bridge closed, tree idle). */
  release(key: string): void;
  /** The stream changed outside its events: every viewer starts over from a snapshot. */
  resync(key: string): void;
  /** The stream's session is gone. */
  drop(key: string): void;
  subscriberCount(key: string): number;
  /** The viewers' side: chunks of consecutive events after `lastSeq` (a snapshot first when needed). */
  subscribe(key: string, lastSeq: number | undefined, signal: AbortSignal): AsyncGenerator<Chunk<E>>;
}
