import type { ErrorInfo } from "./entities";

// How a failed turn reads, the same in the session's status, its turn and its conversation.
// opencode's errors carry the provider's answer as they got it: often a JSON body inside
// `data.message` ({"message": …} or {"error": {"message": …}}), which says nothing to a reader.

const MAX_LENGTH = 300;

export const ABORTED_ERROR = "MessageAbortedError";

/** How a stored turn ended badly (its row's status and error), as the live fold holds it. */
export function turnFailure(turn: { status: string; error: string | null }): ErrorInfo | undefined {
  if (turn.status === "aborted") return { name: ABORTED_ERROR, message: "Aborted" };
  if (turn.status === "error") return { name: "Error", message: turn.error ?? undefined };
  return undefined;
}

/** One sentence saying what went wrong; the raw error is for a folded "details". */
export function describeError(error: ErrorInfo | undefined): string {
  if (!error) return "The run failed.";
  const said = readable(error.message ?? stringField(error.data, "message"));
  const detail = said ? `: ${said}` : ".";
  switch (error.name) {
    case ABORTED_ERROR:
      return "Aborted.";
    case "APIError": {
      const code = error.data?.statusCode;
      return `The model's API returned an error${typeof code === "number" ? ` (HTTP ${code})` : ""}${detail}`;
    }
    case "ProviderAuthError":
      return `${["The provider", stringField(error.data, "providerID")].filter(Boolean).join(" ")} did not accept its credentials${detail}`;
    case "ContextOverflowError":
      return `The conversation no longer fits in the model's context${detail}`;
    case "MessageOutputLengthError":
      return "The answer was cut off: it reached the model's output limit.";
    case "ContentFilterError":
      return `The provider's content filter stopped the answer${detail}`;
    case "UnknownError":
      return `The model call failed${detail}`;
    default:
      return said ?? error.name;
  }
}

/** A message as a person reads it: the message inside a JSON body, one line, bounded. */
function readable(text: string | undefined): string | undefined {
  if (!text?.trim()) return undefined;
  const first = (fromJson(text) ?? text).split("\n").map((l) => l.trim()).find(Boolean) ?? "";
  // A stringified error's class name ("ProviderModelNotFoundError: Model not found…") says
  // nothing the sentence does not, and the same failure read from its answer has none.
  const line = first.replace(/^[A-Z][A-Za-z]*Error: (?=\S)/, "");
  const bounded = line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
  return bounded || undefined;
}

function fromJson(text: string): string | undefined {
  if (!/^\s*\{/.test(text)) return undefined;
  try {
    const body = JSON.parse(text) as unknown;
    const nested = typeof body === "object" && body !== null ? (body as { error?: unknown }).error : undefined;
    return stringField(body, "message") ?? stringField(nested, "message") ?? (typeof nested === "string" ? nested : undefined);
  } catch {
    return undefined;
  }
}

function stringField(value: unknown, key: string): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const field = (value as Record<string, unknown>)[key];
  return typeof field === "string" ? field : undefined;
}
