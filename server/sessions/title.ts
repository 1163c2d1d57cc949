import { z } from "zod";

/** The longest title a person may give a session (opencode's own titles stay well under it). */
export const MAX_TITLE_LENGTH = 200;

/** A title a person types: trimmed, not empty, not longer than MAX_TITLE_LENGTH. */
export const sessionTitle = z
  .string()
  .trim()
  .min(1, "The title is empty")
  .max(MAX_TITLE_LENGTH, `A title has at most ${MAX_TITLE_LENGTH} characters`);

/** Why a typed title is refused, or undefined when it is fine (the rename form says it before sending). */
export function titleProblem(text: string): string | undefined {
  const result = sessionTitle.safeParse(text);
  return result.success ? undefined : result.error.issues[0]?.message;
}
