import type { ToolCall } from "~/server/stream/entities";

/** Tool output kept per span; a larger output is cut and flagged, the full size is recorded. */
export const TOOL_OUTPUT_CAP = 64 * 1024;

export type ToolSpanFields = {
  callId: string;
  tool: string;
  title: string | null;
  status: ToolCall["status"] | "interrupted";
  input: Record<string, unknown>;
  output: string | null;
  outputTruncated: boolean;
  outputBytes: number;
  error: string | null;
  startedAt: Date | null;
  endedAt: Date | null;
  durationMs: number | null;
};

/** Cuts `text` to at most `cap` UTF-8 bytes without splitting a character. */
export function capUtf8(text: string, cap: number): { text: string; bytes: number; truncated: boolean } {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes <= cap) return { text, bytes, truncated: false };
  const cut = Buffer.from(text, "utf8").subarray(0, cap).toString("utf8");
  // A cut through a multi-byte character decodes to U+FFFD: drop it.
  return { text: cut.replace(/\uFFFD$/, ""), bytes, truncated: true };
}

/** opencode's errors for a call cut off by an abort or a stop: the call did not fail, it was interrupted. */
const CUT_OFF = /^Tool execution (aborted|interrupted|was interrupted)/;

export function toolSpanFields(call: ToolCall, cap = TOOL_OUTPUT_CAP): ToolSpanFields {
  const output = call.output === undefined ? undefined : capUtf8(call.output, cap);
  const startedAt = call.startedAt === undefined ? null : new Date(call.startedAt);
  const endedAt = call.endedAt === undefined ? null : new Date(call.endedAt);
  return {
    callId: call.callId,
    tool: call.name,
    title: call.title ?? null,
    status: call.status === "error" && CUT_OFF.test(call.error ?? "") ? "interrupted" : call.status,
    input: call.input,
    output: output?.text ?? null,
    outputTruncated: output?.truncated ?? false,
    outputBytes: output?.bytes ?? 0,
    error: call.error ?? null,
    startedAt,
    endedAt,
    durationMs: startedAt && endedAt ? Math.max(0, endedAt.getTime() - startedAt.getTime()) : null,
  };
}
