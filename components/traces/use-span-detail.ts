"use client";

import { useEffect, useState } from "react";
import type { TraceSource } from "./source";
import type { Span, SpanDetail } from "./types";

type Loaded = { key: string; detail: SpanDetail | null; error: string | null };

/**
 * A span's input, output and error, read when the panel opens it (they can be large, and most
 * spans are never opened). Read again when the span finishes, since its output arrives then.
 */
export function useSpanDetail(source: TraceSource, span: Span | null): { detail: SpanDetail | null; loading: boolean; error: string | null } {
  const key = span ? `${source.key}:${span.id}:${span.endMs ?? "running"}:${span.status}` : "";
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const spanId = span?.id;
  useEffect(() => {
    if (!spanId) return;
    let cancelled = false;
    source.span(spanId).then(
      (detail) => !cancelled && setLoaded({ key, detail, error: null }),
      (error: unknown) => !cancelled && setLoaded({ key, detail: null, error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      cancelled = true;
    };
  }, [source, spanId, key]);
  const current = loaded?.key === key ? loaded : null;
  return { detail: current?.detail ?? null, loading: Boolean(span) && !current, error: current?.error ?? null };
}
