import type { ArchivedMessage, ArchivedPart, ArchivedSession, ArchivedToolCall, ArchivedTree, ArchivedTurn } from "~/server/archive/read";
import { ErrorNote } from "~/components/session/error-note";
import { Markdown } from "~/components/session/markdown";
import { ToolCard } from "~/components/session/tool-card";
import type { ToolEntry } from "~/components/session/types";
import { formatTime, formatTokens } from "~/components/session/format";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { turnAnchor } from "~/components/lineage/turn-anchor";

// The read-only conversation of an archived tree, rendered on the server: no state, no
// JavaScript. Every sub-agent is a <details> block under the tool call that spawned it (open
// and close with the browser's own control), nested to any depth.

/**
 * `shared`: a share link's view, which links to nothing of the app (a sub-agent has no page of its own there).
 * `source`: a fork's source tree, where the sub-agents of the task calls the fork copied ran.
 */
export function ArchivedConversation(props: { tree: ArchivedTree; session: ArchivedSession; shared?: boolean; source?: ArchivedTree | null }) {
  const { tree, session, shared = false, source = null } = props;
  const linked = new Set<string>();
  for (const s of Object.values(tree.sessions)) {
    for (const turn of s.turns) for (const m of turn.messages) for (const p of m.parts) if (p.tool?.childSessionId) linked.add(p.tool.childSessionId);
  }
  // Sub-agents of this session that no archived tool call points at are listed after it.
  const unlinked = session.children.filter((id) => !linked.has(id));
  const kept = session.turns.filter((t) => !t.revertedAt);
  const reverted = session.turns.filter((t) => t.revertedAt);
  return (
    <div className="space-y-4" data-testid="archived-conversation" data-session-id={session.id}>
      {session.turns.length === 0 && <p className="text-sm text-slate-500">No messages were archived for this session.</p>}
      {kept.map((turn) => (
        <TurnView key={turn.id} tree={tree} turn={turn} shared={shared} source={source} anchored={session.id === tree.root.id} />
      ))}
      {reverted.length > 0 && (
        // Undone by a revert, with the sub-agents they spawned: kept, never silently deleted.
        <section data-testid="archived-reverted" className="space-y-4 rounded-md border border-dashed border-slate-300 px-3 py-2 opacity-75">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-slate-500">Reverted</h3>
          {reverted.map((turn) => (
            <TurnView key={turn.id} tree={tree} turn={turn} shared={shared} source={source} />
          ))}
        </section>
      )}
      {unlinked.map((id) => (
        <SubAgent key={id} tree={tree} session={tree.sessions[id]!} shared={shared} />
      ))}
    </div>
  );
}

type Shared = { shared: boolean; source?: ArchivedTree | null };

/** `anchored`: a turn of the tree's root, which the timeline jumps to (`#turn-<n>`). */
function TurnView({ tree, turn, shared, source, anchored = false }: { tree: ArchivedTree; turn: ArchivedTurn; anchored?: boolean } & Shared) {
  return (
    <section id={anchored ? turnAnchor(turn.index) : undefined} data-testid="archived-turn" data-turn={turn.index} className="space-y-2">
      <p className="text-[11px] uppercase tracking-wide text-slate-500">
        Turn {turn.index} · {formatTime(turn.startedAt)}
        {turn.status !== "completed" && (
          <span className={turn.status === "error" ? "text-red-700" : "text-amber-700"}>
            {" "}
            · {turn.status}
            {turn.error ? `: ${turn.error}` : ""}
          </span>
        )}
      </p>
      {turn.messages.map((message) => (
        <ArchivedMessageView key={message.id} tree={tree} message={message} shared={shared} source={source} />
      ))}
    </section>
  );
}

function ArchivedMessageView({ tree, message, shared, source }: { tree: ArchivedTree; message: ArchivedMessage } & Shared) {
  if (message.role === "user") {
    const text = message.parts.filter((p) => p.type === "text").map((p) => p.text ?? "").join("\n");
    return (
      <div data-testid="user-prompt" className="ml-auto max-w-[85%] whitespace-pre-wrap rounded-lg bg-sky-50 px-3 py-2 text-sm text-slate-900 ring-1 ring-sky-100">
        {markUnrepresentable(text)}
      </div>
    );
  }
  return (
    <div className="space-y-2" data-testid="assistant-message">
      {message.parts.map((part) => (
        <ArchivedPartView key={part.id} tree={tree} part={part} shared={shared} source={source} />
      ))}
      {message.error && <ErrorNote error={message.error} testId="message-error" />}
    </div>
  );
}

function ArchivedPartView({ tree, part, shared, source }: { tree: ArchivedTree; part: ArchivedPart } & Shared) {
  if (part.type === "text") {
    return (
      <div data-testid="assistant-text">
        <Markdown text={part.text ?? ""} />
      </div>
    );
  }
  if (part.type === "reasoning") {
    return (
      <details data-testid="reasoning" className="rounded-md border border-dashed border-slate-300 bg-slate-50/60 px-3 py-1.5">
        <summary className="cursor-pointer text-xs font-medium text-slate-500">Reasoning</summary>
        <div className="pt-1 italic text-slate-600">
          <Markdown text={part.text ?? ""} />
        </div>
      </details>
    );
  }
  if (part.tool) {
    const child = part.tool.childSessionId ? tree.sessions[part.tool.childSessionId] : undefined;
    const copied = !child && source ? copiedSubAgent(source, part) : undefined;
    return (
      <ToolCard tool={toolEntry(part.tool, part.data)}>
        {child && <SubAgent tree={tree} session={child} shared={shared} />}
        {copied && <SubAgent tree={source!} session={copied} shared={shared} fromSource />}
      </ToolCard>
    );
  }
  if (part.type === "file") {
    const name = typeof part.data.filename === "string" ? part.data.filename : "file";
    return <p className="text-xs text-slate-500">File {name}</p>;
  }
  return null;
}

/**
 * A fork's copy of its source's task call names the sub-agent the source's call spawned
 * (opencode keeps it in the part's metadata); that sub-agent is a session of the source's tree.
 */
function copiedSubAgent(source: ArchivedTree, part: ArchivedPart): ArchivedSession | undefined {
  const state = part.data.state as { metadata?: { sessionId?: unknown } } | undefined;
  const opencodeId = state?.metadata?.sessionId;
  if (typeof opencodeId !== "string") return undefined;
  return Object.values(source.sessions).find((s) => s.opencodeId === opencodeId);
}

/**
 * A sub-agent's whole conversation, closed until opened (works without JavaScript).
 * `fromSource`: one a fork's copied call leads to, which ran in the session it was forked from.
 */
function SubAgent({ tree, session, shared, fromSource = false }: { tree: ArchivedTree; session: ArchivedSession; fromSource?: boolean } & Shared) {
  const usage = session.turns.flatMap((t) => t.messages).reduce((sum, m) => sum + m.usage.input + m.usage.output, 0);
  return (
    <details data-testid="archived-subagent" data-session-id={session.id} className="rounded-md border-l-4 border-violet-300 bg-violet-50/40 px-3 py-2">
      <summary className="cursor-pointer text-sm font-medium text-violet-900">
        Sub-agent: {session.title || session.opencodeId}
        {session.agent && !session.title.includes(`@${session.agent}`) && <span className="font-normal text-violet-700"> (@{session.agent})</span>}
        <span className="ml-2 text-xs font-normal text-slate-500">
          {session.turns.length} turn{session.turns.length === 1 ? "" : "s"} · {formatTokens(usage)} tokens
          {session.children.length > 0 && ` · ${session.children.length} nested sub-agent${session.children.length === 1 ? "" : "s"}`}
          {fromSource && " · run in the session this one was forked from"}
        </span>
      </summary>
      <div className="pt-2">
        {!shared && (
          <a href={`/sessions/${session.id}`} className="text-xs text-sky-700 hover:underline">
            Open its own page
          </a>
        )}
        <ArchivedConversation tree={tree} session={session} shared={shared} />
      </div>
    </details>
  );
}

function toolEntry(tool: ArchivedToolCall, data: Record<string, unknown>): ToolEntry {
  const state = (data.state ?? {}) as { metadata?: unknown };
  const metadata = state.metadata && typeof state.metadata === "object" ? (state.metadata as Record<string, unknown>) : undefined;
  return {
    callId: tool.callId,
    name: tool.tool,
    status: tool.status as ToolEntry["status"],
    input: tool.input && typeof tool.input === "object" ? (tool.input as Record<string, unknown>) : {},
    output: tool.output ?? undefined,
    error: tool.error ?? undefined,
    title: tool.title ?? undefined,
    metadata,
    startedAt: tool.startedAt?.getTime(),
    endedAt: tool.endedAt?.getTime(),
  };
}
