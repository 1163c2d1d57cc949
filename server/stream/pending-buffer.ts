// Holds events of sessions whose tree root is not known yet, in arrival order, until a link
// reveals the root. Bounded: the oldest events (and, past the session cap, the longest-waiting
// sessions) are evicted and handed back so the caller can report them.
export type PendingLimits = { perSession: number; sessions: number };

export class PendingBuffer<T> {
  private readonly bySession = new Map<string, T[]>();

  constructor(private readonly limits: PendingLimits) {}

  /** Buffers `item`; returns whatever had to be evicted to make room. */
  add(sessionId: string, item: T): T[] {
    const evicted: T[] = [];
    let queue = this.bySession.get(sessionId);
    if (!queue) {
      while (this.bySession.size >= this.limits.sessions) {
        const [oldest] = this.bySession.keys();
        if (oldest === undefined) break;
        evicted.push(...this.take(oldest));
      }
      queue = [];
      this.bySession.set(sessionId, queue);
    }
    queue.push(item);
    if (queue.length > this.limits.perSession) evicted.push(...queue.splice(0, queue.length - this.limits.perSession));
    return evicted;
  }

  has(sessionId: string): boolean {
    return this.bySession.has(sessionId);
  }

  take(sessionId: string): T[] {
    const queue = this.bySession.get(sessionId) ?? [];
    this.bySession.delete(sessionId);
    return queue;
  }

  sessionIds(): string[] {
    return [...this.bySession.keys()];
  }
}
