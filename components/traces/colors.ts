import type { CSSProperties } from "react";
import type { SpanKind, SpanStatus } from "./types";

// Bar colours by kind, overridden by a status that needs attention. Colour is never the only
// sign: rows also say "error", "interrupted", "aborted" or "running" in words, and stopped
// spans are hatched.

export const KIND_BAR: Record<SpanKind, string> = {
  turn: "bg-slate-300",
  step: "bg-violet-300",
  tool: "bg-sky-500",
  subagent: "bg-amber-400",
  wait: "bg-yellow-300",
  retry: "bg-orange-400",
};

export const KIND_LABEL: Record<SpanKind, string> = {
  turn: "Turn",
  step: "Model step",
  tool: "Tool call",
  subagent: "Sub-agent",
  wait: "Waiting on a person",
  retry: "Retry",
};

const STATUS_BAR: Partial<Record<SpanStatus, string>> = {
  error: "bg-red-500",
  interrupted: "bg-red-300",
  aborted: "bg-slate-400",
};

const HATCHED: CSSProperties = {
  backgroundImage: "repeating-linear-gradient(135deg, rgba(255,255,255,0.55) 0 3px, transparent 3px 6px)",
};

export function barClass(kind: SpanKind, status: SpanStatus): string {
  return `${STATUS_BAR[status] ?? KIND_BAR[kind]}${status === "running" ? " animate-pulse" : ""}`;
}

export function barStyle(status: SpanStatus): CSSProperties | undefined {
  return status === "interrupted" || status === "aborted" ? HATCHED : undefined;
}

export const STATUS_TEXT: Partial<Record<SpanStatus, string>> = {
  running: "text-sky-700",
  error: "text-red-700 font-semibold",
  interrupted: "text-red-700 font-semibold",
  aborted: "text-slate-600",
};
