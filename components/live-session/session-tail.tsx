import type { ServerCaller } from "~/server/api/server-caller";
import { ConversationRow } from "~/components/session/conversation-row";
import { conversationRows } from "~/components/session/rows";
import { SessionLoading } from "./session-loading";
import { shownView } from "./window";

/** Rows of the tail: the end of a screen. */
const TAIL_ROWS = 12;

/**
 * The end of the conversation, rendered with the page (`session.tail`, a read of a few parts):
 * what the live view shows from the first byte until its stream's snapshot comes, which
 * replaces it (server components render before the page's scripts load and hydrate). The same
 * rows as the live view's; inert, since nothing in it acts before the stream takes over.
 */
export async function SessionTail({ caller, sessionId }: { caller: ServerCaller; sessionId: string }) {
  const view = await caller.session.tail({ sessionId }).catch(() => null);
  const rows = view ? conversationRows(shownView(view)).slice(-TAIL_ROWS) : [];
  if (rows.length === 0) return <SessionLoading />;
  return (
    <div
      inert
      data-testid="conversation-tail"
      className="flex min-h-0 flex-1 flex-col justify-end overflow-hidden rounded-lg border border-slate-200 bg-white py-3"
    >
      {rows.map((row) => (
        <div key={row.key} data-tail-row className="w-full px-4 py-1.5">
          <ConversationRow row={row} slots={{}} />
        </div>
      ))}
    </div>
  );
}
