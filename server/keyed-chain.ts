/** Tasks of one key run one after the other, never side by side; tasks of other keys run freely. */
export class KeyedChain {
  private readonly chains = new Map<string, Promise<void>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    // A chain's tail never rejects: a failed task does not stop the ones queued after it.
    const run = (this.chains.get(key) ?? Promise.resolve()).then(task);
    const settled = run.then(
      () => undefined,
      () => undefined,
    );
    this.chains.set(key, settled);
    void settled.then(() => {
      if (this.chains.get(key) === settled) this.chains.delete(key);
    });
    return run;
  }

  /** Resolves once every task started so far has ended. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.chains.values()]);
  }
}
