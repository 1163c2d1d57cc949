/** Which session trees changed: archive ids of their root sessions. */
export type ChangeNotice = { rootIds: string[] };

/** What writers of list-visible state need: a way to say which trees they changed. */
export type ChangeSink = Pick<ChangeFeed, "notify">;

/** Which trees a watcher must forget: those named, or every one. */
export type ChangedTrees = readonly string[] | "all";

type Listener = { pending: Set<string>; everything: boolean; wake: () => void };

/**
 * Tells subscribers (dashboards) that session trees changed, so they re-read their list instead
 * of polling it. Writers call `notify` after they commit. A subscriber gets the first change at
 * once, then at most one notice per `intervalMs` carrying every tree changed meanwhile: a
 * streaming run commits many batches a second, and each notice costs its reader a list query.
 * Nothing is replayed. Instead the first notice comes as soon as the subscriber listens and
 * names no tree: "read what you show now". Whatever changed before it, that read sees; whatever
 * changes after it, a later notice tells. Nothing slips between.
 */
export class ChangeFeed {
  private readonly listeners = new Set<Listener>();
  private readonly watchers = new Set<(changed: ChangedTrees) => void>();
  private relay: ((rootIds: readonly string[]) => void) | undefined;

  constructor(private readonly intervalMs = 500) {}

  /** What writers here notify: told to this feed's subscribers and watchers, and to the relay. */
  notify(rootIds: Iterable<string>): void {
    const ids = [...rootIds];
    this.relay?.(ids);
    this.deliver(ids);
  }

  /**
   * Several instances: every `notify` also goes to `relay` (which tells the other instances),
   * and what they notified comes in through `deliver`, so it is not relayed back.
   */
  relayTo(relay: ((rootIds: readonly string[]) => void) | undefined): void {
    this.relay = relay;
  }

  /** Tells this feed's subscribers and watchers only: for changes another instance relayed. */
  deliver(ids: readonly string[]): void {
    for (const watcher of this.watchers) watcher(ids);
    for (const listener of this.listeners) {
      for (const id of ids) listener.pending.add(id);
      if (listener.pending.size > 0) listener.wake();
    }
  }

  /**
   * Any tree may have changed unheard (this instance lost the other instances' notices for a
   * while): subscribers get a notice naming no tree, "read what you show now", as on
   * subscribing, and watchers forget everything.
   */
  deliverEverything(): void {
    for (const watcher of this.watchers) watcher("all");
    for (const listener of this.listeners) {
      listener.everything = true;
      listener.wake();
    }
  }

  /**
   * Called inside every `notify` (and `deliver`), unthrottled, before any subscriber hears of it: for caches of
   * what the trees hold, which must be forgotten before anyone reads them again.
   */
  watch(watcher: (changed: ChangedTrees) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  async *subscribe(signal: AbortSignal): AsyncGenerator<ChangeNotice> {
    const listener: Listener = { pending: new Set(), everything: false, wake: () => {} };
    const onAbort = () => listener.wake();
    signal.addEventListener("abort", onAbort, { once: true });
    this.listeners.add(listener);
    let lastNotice = -Infinity;
    try {
      yield { rootIds: [] };
      while (!signal.aborted) {
        if (listener.pending.size === 0 && !listener.everything) {
          await new Promise<void>((resolve) => (listener.wake = resolve));
          listener.wake = () => {};
          continue;
        }
        const wait = lastNotice + this.intervalMs - Date.now();
        if (wait > 0) {
          await pause(wait, signal);
          continue;
        }
        // Swapped before yielding: what is notified while the reader handles this notice
        // gathers in the fresh set and comes next.
        const rootIds = listener.everything ? [] : [...listener.pending];
        listener.pending = new Set();
        listener.everything = false;
        lastNotice = Date.now();
        yield { rootIds };
      }
    } finally {
      signal.removeEventListener("abort", onAbort);
      this.listeners.delete(listener);
    }
  }
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
