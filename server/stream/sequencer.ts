// Hands out the stream sequence numbers: one monotonic space per ROOT session, shared by every
// session of its tree. Resumes from the archive's Session.lastSeq so numbers never repeat
// across restarts.
export class Sequencer {
  private readonly last = new Map<string, number>();

  /** Continue after `lastSeq` (never moves backwards: a stale archive value cannot rewind). */
  resume(rootSessionId: string, lastSeq: number): void {
    this.last.set(rootSessionId, Math.max(this.current(rootSessionId), Math.floor(lastSeq)));
  }

  /** The last number handed out for this root (0 before the first). */
  current(rootSessionId: string): number {
    return this.last.get(rootSessionId) ?? 0;
  }

  next(rootSessionId: string): number {
    const seq = this.current(rootSessionId) + 1;
    this.last.set(rootSessionId, seq);
    return seq;
  }

  forget(rootSessionId: string): void {
    this.last.delete(rootSessionId);
  }
}
