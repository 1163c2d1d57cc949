import type { Row } from "~/components/session/rows";

// Heights (px, padding included) a row of each kind usually measures before it has rendered.
// Close guesses keep the scrollbar honest and jumps (Home, End, dragging the thumb) landing
// where they aim in a long session, where most rows are never measured.
const TOOL_CARD = 210;
const PROMPT = 80;
const TEXT = 60;
const STEP = 30;
const OTHER = 48;

export function estimatedRowHeight(row: Row): number {
  if (row.kind === "prompt") return PROMPT;
  if (row.kind !== "part") return OTHER;
  switch (row.part.type) {
    case "tool":
      return TOOL_CARD;
    case "text":
    case "reasoning":
      return TEXT;
    case "step-finish":
      return STEP;
    default:
      return OTHER;
  }
}
