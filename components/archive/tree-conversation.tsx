import type { ReactElement, ReactNode } from "react";
import type { ArchivedSession, ArchivedTree, ArchivedTurn } from "~/server/archive/read";
import { archivedSessionView } from "~/server/archive/session-view";
import { calledSubAgents, sessionTokens } from "~/server/archive/stats";
import { ConversationRow, type RowSlots } from "~/components/session/conversation-row";
import { callIdOf, conversationRows, rowsByTurn, type Row } from "~/components/session/rows";
import { formatTokens } from "~/components/session/format";
import { turnAnchor } from "~/components/lineage/turn-anchor";
import { markUnrepresentable } from "~/server/store/lossless-text";

// A session of an archived tree, read-only and server-rendered (no state, no JavaScript), with
// the live view's rows: `archivedSessionView` → `conversationRows` → `ConversationRow`. The
// archived page, a share link and the HTML export all render this. A sub-agent is a <details>
// block under the tool call that spawned it (the RowSlots' toolExtra), nested to any depth.

/**
 * `links`: link each sub-agent to its own page (not in a share or an export, which lead nowhere
 * in the app). `open`: sub-agents start open (the export, a file read top to bottom).
 * `source`: a fork's source tree, where the sub-agents of the task calls the fork copied ran.
 * `shown`: a page of a long session (server/archive/page.ts): the requested session's turns it
 * holds, and the sub-agents whose conversations it loaded (the others are links).
 * `pageOf`: without `links`, where a sub-agent the page did not load is read (a share link's own pages).
 * `usage`: tokens per session, for a reader that did not load the messages (the export).
 */
export type TreeOptions = {
  links: boolean;
  open?: boolean;
  source?: ArchivedTree | null;
  shown?: { turns: string[]; subAgents: string[] };
  pageOf?: (sessionId: string) => string;
  usage?: Record<string, number>;
};

export function TreeConversation({ tree, session, options }: { tree: ArchivedTree; session: ArchivedSession; options: TreeOptions }) {
  const slots = archiveSlots(tree, session, options, (child, fromSource) => <SubAgent tree={fromSource ? options.source! : tree} session={child} options={options} fromSource={fromSource} />);
  return <ConversationFrame session={session}>{conversationItems(tree, session, options).map((item) => renderItem(item, tree, options, slots))}</ConversationFrame>;
}

/** The element every session's conversation sits in (the export writes it around streamed pieces). */
export function ConversationFrame({ session, children }: { session: ArchivedSession; children: ReactNode }) {
  return (
    <div className="space-y-4" data-testid="archived-conversation" data-session-id={session.id}>
      {children}
    </div>
  );
}

/**
 * What a session's conversation is made of, in reading order: the rows of each turn (in the
 * HTML export, a turn longer than `chunk` rows in several pieces), the reverted turns apart,
 * then the sub-agents no archived tool call points at. The page renders them at once; the
 * export a window of turns at a time.
 */
export type ConversationItem =
  | { kind: "empty" }
  | { kind: "rows"; key: string; turnIndex: number; anchor?: string; rows: Row[] }
  | { kind: "reverted"; items: ConversationItem[] }
  | { kind: "subagent"; sessionId: string };

/**
 * What a session's conversation is made of, before its turns' rows: whether it has turns, its
 * kept turns, the reverted ones (apart), and the sub-agents no archived tool call points at
 * (listed after it). `linked`: the sub-agents some call points at, for a reader that did not
 * load the calls (the export, a window of turns at a time).
 */
export function conversationPlan(tree: ArchivedTree, session: ArchivedSession, options: TreeOptions, linked = linkedSubAgents(tree, session, options)) {
  const paged = options.shown && session.id === tree.requestedId ? new Set(options.shown.turns) : undefined;
  const turns = paged ? session.turns.filter((t) => paged.has(t.id)) : session.turns;
  return {
    empty: session.turns.length === 0,
    kept: turns.filter((t) => !t.revertedAt),
    // Undone by a revert, with the sub-agents they spawned: kept, never silently deleted.
    reverted: turns.filter((t) => t.revertedAt),
    unlinked: session.children.filter((id) => !linked.has(id)),
    // Turns of the tree's root are what the timeline and search jump to (`#turn-<n>`).
    anchored: session.id === tree.root.id,
  };
}

// A page, which holds some of the calls only, goes by the link the archive recorded.
const linkedSubAgents = (tree: ArchivedTree, session: ArchivedSession, options: TreeOptions) =>
  options.shown
    ? new Set(session.children.filter((id) => tree.sessions[id]?.spawnedBy?.toolCallId))
    : calledSubAgents(tree);

export function conversationItems(tree: ArchivedTree, session: ArchivedSession, options: TreeOptions): ConversationItem[] {
  const plan = conversationPlan(tree, session, options);
  return [
    ...(plan.empty ? [{ kind: "empty" as const }] : []),
    ...turnItems(session, plan.kept, plan.anchored),
    ...(plan.reverted.length > 0 ? [{ kind: "reverted" as const, items: turnItems(session, plan.reverted, false) }] : []),
    ...plan.unlinked.map((sessionId) => ({ kind: "subagent" as const, sessionId })),
  ];
}

/**
 * One item per turn (several for a turn longer than `chunk` rows; the first has the anchor).
 * `after`: the turn before `turns`, read for how it ended only (a prompt after an aborted turn
 * reads as dropped), when `turns` are a window of a longer list; its own rows are left out.
 */
export function turnItems(session: ArchivedSession, turns: ArchivedTurn[], anchored: boolean, chunk = Number.POSITIVE_INFINITY, after?: ArchivedTurn): ConversationItem[] {
  if (turns.length === 0) return [];
  const view = archivedSessionView(session, after ? [after, ...turns] : turns);
  const byTurn = rowsByTurn(conversationRows(view, answersOf(session, turns)));
  return (after ? byTurn.filter((turn) => turn.turnIndex !== after.index) : byTurn).flatMap((turn) => {
    const items: ConversationItem[] = [];
    for (let from = 0; from < turn.rows.length; from += chunk) {
      const anchor = anchored && from === 0 && turn.turnIndex > 0 ? turnAnchor(turn.turnIndex) : undefined;
      items.push({ kind: "rows", key: `${turn.turnIndex}:${from}`, turnIndex: turn.turnIndex, anchor, rows: turn.rows.slice(from, from + chunk) });
    }
    return items;
  });
}

/**
 * Who answered the requests of these turns' tool calls (a page of a long session shows its own);
 * an answer that names no call goes with the session's last turn.
 */
function answersOf(session: ArchivedSession, turns: ArchivedTurn[]) {
  const calls = new Set(turns.flatMap((t) => t.messages.flatMap((m) => m.parts.flatMap((p) => (p.tool ? [p.tool.callId] : [])))));
  const withLast = turns.some((t) => t.id === session.turns.at(-1)?.id);
  return session.answers.filter((answer) => {
    const call = callIdOf(answer.request);
    return call ? calls.has(call) : withLast;
  });
}

/** An item as the page shows it (sub-agents in place, to any depth). */
function renderItem(item: ConversationItem, tree: ArchivedTree, options: TreeOptions, slots: RowSlots): ReactElement {
  switch (item.kind) {
    case "empty":
      return <NoMessages key="empty" />;
    case "rows":
      return <TurnRows key={item.key} item={item} slots={slots} />;
    case "reverted":
      return <Reverted key="reverted">{item.items.map((inner) => renderItem(inner, tree, options, slots))}</Reverted>;
    case "subagent":
      return <SubAgent key={item.sessionId} tree={tree} session={tree.sessions[item.sessionId]!} options={options} />;
  }
}

export function NoMessages() {
  return <p className="text-sm text-slate-500">No messages were archived for this session.</p>;
}

export function TurnRows({ item, slots }: { item: Extract<ConversationItem, { kind: "rows" }>; slots: RowSlots }) {
  return (
    <section id={item.anchor} data-testid="archived-turn" data-turn={item.turnIndex} className="space-y-3">
      {item.rows.map((row) => (
        <ConversationRow key={row.key} row={row} slots={slots} />
      ))}
    </section>
  );
}

export function Reverted({ children }: { children: ReactNode }) {
  return (
    <section data-testid="archived-reverted" className="space-y-4 rounded-md border border-dashed border-slate-300 px-3 py-2 opacity-75">
      <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Reverted</h3>
      {children}
    </section>
  );
}

/** Characters of a tool's output a page of a long session shows; the rest is a link. */
const OUTPUT_HEAD = 2_000;

/**
 * Under a task call: the sub-agent it spawned (or, in a fork, the one its source's call spawned).
 * On a page of a long session, a long tool output shows its head and links to the whole.
 */
export function archiveSlots(
  tree: ArchivedTree,
  session: ArchivedSession,
  options: TreeOptions,
  subAgent: (child: ArchivedSession, fromSource: boolean) => ReactNode,
): RowSlots {
  const byCall = new Map(session.turns.flatMap((t) => t.messages.flatMap((m) => m.parts.flatMap((p) => (p.tool ? [[p.tool.callId, p] as const] : [])))));
  return {
    toolOutput: (tool) => {
      const part = byCall.get(tool.callId);
      if (!options.shown || !options.links || !part || (tool.output?.length ?? 0) <= OUTPUT_HEAD) return undefined;
      return (
        <div data-testid="tool-output-head" className="space-y-1">
          <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-words rounded bg-slate-50 px-3 py-2 font-mono text-xs text-slate-800">
            {markUnrepresentable(tool.output!.slice(0, OUTPUT_HEAD))}
            {"\n"}…
          </pre>
          <a href={`/api/archive/${session.id}/tool-output?part=${part.id}`} className="text-xs text-sky-700 hover:underline">
            Whole output ({tool.output!.length.toLocaleString("en-US")} characters)
          </a>
        </div>
      );
    },
    toolExtra: (tool) => {
      const part = byCall.get(tool.callId);
      const child = part?.tool?.childSessionId ? tree.sessions[part.tool.childSessionId] : undefined;
      if (child) return subAgent(child, false);
      const copied = part && options.source ? copiedSubAgent(options.source, part.data) : undefined;
      return copied ? subAgent(copied, true) : null;
    },
  };
}

/**
 * A fork's copy of its source's task call names the sub-agent the source's call spawned
 * (opencode keeps it in the part's metadata); that sub-agent is a session of the source's tree.
 */
function copiedSubAgent(source: ArchivedTree, data: Record<string, unknown>): ArchivedSession | undefined {
  const state = data.state as { metadata?: { sessionId?: unknown } } | undefined;
  const opencodeId = state?.metadata?.sessionId;
  if (typeof opencodeId !== "string") return undefined;
  return Object.values(source.sessions).find((s) => s.opencodeId === opencodeId);
}

/**
 * A sub-agent's whole conversation, closed until opened (works without JavaScript).
 * `fromSource`: one a fork's copied call leads to, which ran in the session it was forked from.
 * `body`: what stands for its conversation (the export streams it in after).
 */
export function SubAgent({
  tree,
  session,
  options,
  fromSource = false,
  body,
}: {
  tree: ArchivedTree;
  session: ArchivedSession;
  options: TreeOptions;
  fromSource?: boolean;
  body?: ReactNode;
}) {
  const usage = options.usage?.[session.id] ?? sessionTokens(session);
  // Not loaded with this page (a large sub-agent): its own page holds it.
  const loaded = !options.shown || fromSource || options.shown.subAgents.includes(session.id);
  const href = options.links ? `/sessions/${session.id}${loaded ? "" : "?view=archive"}` : loaded ? undefined : options.pageOf?.(session.id);
  return (
    <details open={options.open} data-testid="archived-subagent" data-session-id={session.id} className="rounded-md border-l-4 border-violet-300 bg-violet-50/40 px-3 py-2">
      <summary className="cursor-pointer text-sm font-medium text-violet-900">
        Sub-agent: {session.title || session.opencodeId}
        {session.agent && !session.title.includes(`@${session.agent}`) && <span className="font-normal text-violet-700"> (@{session.agent})</span>}
        <span className="ml-2 text-xs font-normal text-slate-500">
          {session.turns.length} turn{session.turns.length === 1 ? "" : "s"}
          {loaded && ` · ${formatTokens(usage)} tokens`}
          {session.children.length > 0 && ` · ${session.children.length} nested sub-agent${session.children.length === 1 ? "" : "s"}`}
          {fromSource && " · run in the session this one was forked from"}
        </span>
      </summary>
      <div className="pt-2">
        {href && (
          <a href={href} data-testid="subagent-page-link" className="text-xs text-sky-700 hover:underline">
            {loaded ? "Open its own page" : "Read its conversation on its own page"}
          </a>
        )}
        {/* A fork's source tree is read whole: its sub-agents are all loaded. */}
        {loaded && (body ?? <TreeConversation tree={tree} session={session} options={{ ...options, source: null, shown: fromSource ? undefined : options.shown }} />)}
      </div>
    </details>
  );
}
