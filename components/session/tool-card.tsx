import type { ReactNode } from "react";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { CollapsibleText } from "./collapsible-text";
import { CopyButton } from "./copy-button";
import { asAddedFile, DiffView, ReplacedFile } from "./diff-view";
import { formatDuration } from "./format";
import type { ToolEntry } from "./types";

const statusTone: Record<ToolEntry["status"], string> = {
  pending: "bg-slate-100 text-slate-600",
  running: "bg-sky-100 text-sky-800",
  completed: "bg-emerald-100 text-emerald-800",
  error: "bg-red-100 text-red-800",
};

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** What a reader needs to recognise the call without opening it. */
function summaryOf(tool: ToolEntry): string {
  const input = tool.input;
  return (
    tool.title ??
    str(input.description) ??
    str(input.command) ??
    str(input.filePath) ??
    str(input.path) ??
    str(input.pattern) ??
    ""
  );
}

const TODO_MARK: Record<string, string> = { completed: "☑", in_progress: "▸", cancelled: "☒" };

/** A `todowrite` call's list as the agent set it, not its JSON. */
function TodoList({ todos }: { todos: unknown[] }) {
  const items = todos.flatMap((t) => (t && typeof t === "object" && typeof (t as { content?: unknown }).content === "string" ? [t as { content: string; status?: unknown }] : []));
  return (
    <ul className="space-y-0.5 text-sm" data-testid="todo-list">
      {items.map((todo, i) => {
        const status = str(todo.status) ?? "pending";
        return (
          <li key={i} data-status={status} className={`flex gap-2 ${status === "completed" || status === "cancelled" ? "text-slate-500 line-through" : "text-slate-800"}`}>
            <span aria-hidden className="w-4 shrink-0 text-center">{TODO_MARK[status] ?? "☐"}</span>
            <span className="min-w-0 break-words">
              {markUnrepresentable(todo.content)}
              <span className="sr-only"> ({status.replace("_", " ")})</span>
            </span>
          </li>
        );
      })}
    </ul>
  );
}

function ToolBody({ tool, output }: { tool: ToolEntry; output?: ReactNode }) {
  const diff = str(tool.metadata?.diff);
  const filePath = str(tool.input.filePath);
  const content = str(tool.input.content);
  const command = str(tool.input.command);
  return (
    <div className="space-y-2 px-3 pb-3">
      {command && (
        <div className="flex items-start gap-2">
          <code className="min-w-0 flex-1 whitespace-pre-wrap break-words rounded bg-slate-900 px-2 py-1 font-mono text-xs text-slate-50">{markUnrepresentable(command)}</code>
          <CopyButton text={markUnrepresentable(command)} what="command" />
        </div>
      )}
      {diff ? (
        <DiffView diff={diff} title={filePath} />
      ) : tool.name === "write" && filePath && content !== undefined ? (
        tool.metadata?.exists === true ? <ReplacedFile path={filePath} content={markUnrepresentable(content)} /> : <DiffView diff={asAddedFile(filePath, content)} title={filePath} />
      ) : null}
      {tool.name === "todowrite" && Array.isArray(tool.input.todos) && <TodoList todos={tool.input.todos} />}
      <details>
        <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-800">Input</summary>
        <CollapsibleText text={JSON.stringify(tool.input, null, 2)} label="Input" />
      </details>
      {output ?? (tool.output !== undefined && tool.output !== "" && <CollapsibleText text={tool.output} label="Output" />)}
      {tool.metadata?.truncated === true && (
        <p className="text-xs text-amber-700">The runner truncated this output before sending it.</p>
      )}
      {tool.error && <CollapsibleText text={tool.error} label="Error" tone="error" />}
    </div>
  );
}

/**
 * One tool call. `children` is where a sub-agent call puts its child session (the live view
 * passes an expander; an archived view can pass the nested conversation); `output` replaces
 * the output's text (see RowSlots.toolOutput); `waiting`: it waits on its own request to run.
 */
export function ToolCard({ tool, children, output, waiting }: { tool: ToolEntry; children?: ReactNode; output?: ReactNode; waiting?: "permission" | "question" }) {
  const duration = tool.startedAt && tool.endedAt ? formatDuration(tool.endedAt - tool.startedAt) : undefined;
  const summary = summaryOf(tool);
  return (
    <section
      data-testid="tool-card"
      data-tool={tool.name}
      data-status={tool.status}
      className="rounded-lg border border-slate-200 bg-white shadow-sm"
    >
      <header className="flex flex-wrap items-center gap-2 px-3 py-2 text-sm">
        <span className="rounded bg-slate-800 px-1.5 py-0.5 font-mono text-xs text-white">{tool.name}</span>
        <span className="min-w-0 flex-1 truncate text-slate-700" title={summary}>
          {summary}
        </span>
        {duration && <span className="text-xs text-slate-500">{duration}</span>}
        {waiting ? (
          <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900" data-testid="tool-waiting">
            {waiting === "permission" ? "waiting for approval" : "waiting for an answer"}
          </span>
        ) : (
          <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${statusTone[tool.status]}`}>{tool.status}</span>
        )}
      </header>
      {children && <div className="border-t border-slate-100 px-3 py-2 empty:hidden">{children}</div>}
      <ToolBody tool={tool} output={output} />
    </section>
  );
}
