import { AppLink } from "~/components/layout/app-link";
import { turnAnchor } from "./turn-anchor";

/** "Forked from <source>, turn N": the way back from a fork to where it was made. */
export function ForkedFrom({ sessionId, title, turnIndex }: { sessionId: string; title: string; turnIndex: number | null }) {
  return (
    <span data-testid="forked-from">
      Forked from{" "}
      <AppLink href={`/sessions/${sessionId}${turnIndex ? `#${turnAnchor(turnIndex)}` : ""}`} className="text-sky-700 hover:underline">
        {title || "a session"}
      </AppLink>
      {turnIndex ? `, turn ${turnIndex}` : ""}
    </span>
  );
}
