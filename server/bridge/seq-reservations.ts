/**
 * Seqs are handed out before events are stored, so a crash can lose events viewers already
 * hold. Each root's seqs are reserved in the archive in blocks, ahead of use: after a restart,
 * numbering resumes above every seq ever handed out, and a client holding one of the lost seqs
 * resumes with a snapshot instead of silently skipping new events that reused its numbers.
 */
export class SeqReservations {
  private readonly through = new Map<string, number>();
  private readonly inFlight = new Map<string, Promise<void>>();

  constructor(
    /** Records in the archive that seqs up to `through` may be handed out for this root. */
    private readonly persist: (rootOpencodeId: string, through: number) => Promise<void>,
    readonly block = 10_000,
  ) {}

  /**
   * Undefined when `seq` is already reserved (publish at once); otherwise resolves once it is.
   * Reserves the next block while half of the current one is still unused, so a steady stream
   * never waits.
   */
  cover(root: string, seq: number): Promise<void> | undefined {
    const through = this.through.get(root) ?? 0;
    if (seq + this.block / 2 > through && !this.inFlight.has(root)) this.reserve(root, seq + this.block);
    if (seq <= through) return undefined;
    return this.inFlight.get(root)!.then(() => this.cover(root, seq));
  }

  /** Seqs up to `through` are reserved already (the bridge reserved them when it seeded the tree). */
  reserved(root: string, through: number): void {
    this.through.set(root, Math.max(this.through.get(root) ?? 0, through));
  }

  forget(root: string): void {
    this.through.delete(root);
  }

  private reserve(root: string, through: number): void {
    const done = this.persist(root, through)
      .then(() => void this.through.set(root, Math.max(this.through.get(root) ?? 0, through)))
      .finally(() => this.inFlight.delete(root));
    // A reservation made ahead of need may fail with nobody waiting on it (the next cover tries
    // again); those who wait get the failure through their own chain.
    done.catch(() => {});
    this.inFlight.set(root, done);
  }
}
