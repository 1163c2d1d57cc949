"use client";

import { useEffect, useRef, useState } from "react";
import { mergeSpans } from "./merge";
import type { FollowState, TraceSource } from "./source";
import { throttle } from "./throttle";
import type { Span, SpanPage, TraceSummary } from "./types";

/** Spans per page after the first (the server allows up to 5,000). */
export const PAGE_LIMIT = 5_000;
// Live upserts are folded in batches: a busy tree sends many a second, a screen needs a few.
const FLUSH_MS = 100;
// The summary is a whole-tree aggregate: re-read at most once a second while spans stream.
const SUMMARY_EVERY_MS = 1_000;
// A full re-read (share notices, reconnects) at most this often.
const RELOAD_EVERY_MS = 1_000;

export type TraceState = {
  spans: readonly Span[];
  summary: TraceSummary | null;
  /** Still reading pages. */
  loading: boolean;
  /** How many spans the server said the tree has (the first page's total). */
  total: number | null;
  error: string | null;
  follow: FollowState;
};

export type TraceInitial = { page?: SpanPage; summary?: TraceSummary };

/**
 * The trace of a tree, kept current. Owns the span list: the first page (from the server render
 * when there is one), then every further page, merged as each arrives so the waterfall paints
 * early; then live upserts, batched; and a full re-read when the source says the trace is stale.
 * A page never undoes what a live upsert finished (merge.ts). The summary is re-read, throttled,
 * whenever spans change.
 */
export function useTrace(source: TraceSource, initial: TraceInitial = {}, { live = true }: { live?: boolean } = {}): TraceState {
  const [state, setState] = useState<TraceState>(() => ({
    spans: initial.page?.spans ?? [],
    summary: initial.summary ?? null,
    loading: !initial.page || initial.page.nextCursor !== null,
    total: initial.page?.total ?? null,
    error: null,
    follow: "connecting",
  }));
  // The first render's data only: a later render of the server page must not reset the view.
  const first = useRef(initial);

  useEffect(() => {
    let stopped = false;
    const patch = (p: Partial<TraceState> | ((s: TraceState) => Partial<TraceState>)) => {
      if (!stopped) setState((s) => ({ ...s, ...(typeof p === "function" ? p(s) : p) }));
    };
    const fail = (error: unknown) => patch({ error: error instanceof Error ? error.message : String(error), loading: false });

    const readSummary = throttle(() => {
      source.summary().then((summary) => patch({ summary }), fail);
    }, SUMMARY_EVERY_MS);

    // Pages: progressive on the first read; a re-read replaces the list once complete (spans
    // that are gone, e.g. of reverted sub-agents, leave with it).
    let reading = false;
    let again = false;
    let pending: Span[] = [];
    const readAll = async (from: SpanPage | undefined, progressive: boolean) => {
      if (reading) {
        again = true;
        return;
      }
      reading = true;
      pending = [];
      patch({ loading: true });
      try {
        let list: readonly Span[] = from?.spans ?? [];
        let cursor = from ? from.nextCursor : null;
        let total = from?.total ?? null;
        let firstPage = !from;
        while (firstPage || cursor !== null) {
          const page = await source.spans(cursor, PAGE_LIMIT);
          if (stopped) return;
          firstPage = false;
          cursor = page.nextCursor;
          total = page.total;
          list = mergeSpans(list, page.spans, "finished");
          if (progressive) patch((s) => ({ spans: mergeSpans(s.spans, page.spans, "finished"), total }));
        }
        if (!progressive) {
          // Upserts that came in during the re-read are no older than the pages before them.
          const during = pending;
          pending = [];
          patch({ spans: mergeSpans(list, during, "finished"), total });
        }
        patch({ loading: false, error: null });
      } catch (error) {
        fail(error);
      } finally {
        reading = false;
      }
      readSummary();
      if (again) {
        again = false;
        reload();
      }
    };
    const reload = throttle(() => void readAll(undefined, false), RELOAD_EVERY_MS);

    const init = first.current;
    first.current = {};
    if (!init.page) void readAll(undefined, true);
    else if (init.page.nextCursor !== null) void readAll(init.page, true);
    if (!init.summary) readSummary();

    // Live: queue upserts and fold them in a batch per FLUSH_MS.
    let queue: Span[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    const flush = () => {
      timer = undefined;
      const batch = queue;
      queue = [];
      if (reading) pending.push(...batch);
      patch((s) => ({ spans: mergeSpans(s.spans, batch, "incoming") }));
      readSummary();
    };
    const stop = live
      ? source.follow({
          onSpans: (spans) => {
            queue.push(...spans);
            timer ??= setTimeout(flush, FLUSH_MS);
          },
          onStale: reload,
          onState: (follow) => patch({ follow }),
        })
      : () => patch({ follow: "closed" });
    return () => {
      stopped = true;
      stop();
      clearTimeout(timer);
      readSummary.cancel();
      reload.cancel();
    };
  }, [source, live]);

  return state;
}
