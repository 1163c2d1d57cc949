const MAX_LENGTH = 300;

/**
 * An error as a user may see it (archiveError, statusReason, an answer): one line, no stack.
 * Prisma puts the failing call, the file and the query before the reason, which comes last;
 * everything else (opencode's own errors with bundle paths after them) says it first.
 */
export function shortMessage(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split("\n").map((line) => line.trim()).filter(Boolean);
  const line = (/invocation/.test(text) ? lines.at(-1) : lines[0]) ?? "Unknown error";
  return line.length > MAX_LENGTH ? `${line.slice(0, MAX_LENGTH - 1)}…` : line;
}
