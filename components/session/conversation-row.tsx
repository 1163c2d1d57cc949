import type { ReactNode } from "react";
import { ErrorNote } from "./error-note";
import { LocalTime } from "./local-time";
import { FilePart, OtherPart, PatchPart, ReasoningPart, StepUsage, TextPart } from "./parts";
import { AnswerNote, PermissionCard, QuestionCard } from "./requests";
import type { Row } from "./rows";
import { ToolCard } from "./tool-card";
import type { PartEntry, PermissionEntry, QuestionEntry, ToolEntry } from "./types";
import { markUnrepresentable } from "~/server/store/lossless-text";

/** What the surrounding view adds to rows: live controls, or nothing for a read-only view. */
export type RowSlots = {
  /** Under a tool card: the live view's sub-agent expander, or an archived child conversation. */
  toolExtra?: (tool: ToolEntry, part: PartEntry) => ReactNode;
  permissionActions?: (request: PermissionEntry) => ReactNode;
  questionActions?: (request: QuestionEntry) => ReactNode;
  /** A tool's output in place of the whole text (a page of a long archive: its head and a link). */
  toolOutput?: (tool: ToolEntry, part: PartEntry) => ReactNode;
  /** Under a prompt an abort kept from running: the live view's way to send it again. */
  resendPrompt?: (text: string) => ReactNode;
  /** Beside the note that a revert undid the turns below: the live view's "Undo revert". */
  revertedActions?: () => ReactNode;
};

function RunnerNotice({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <div data-testid={testId} className="flex items-center gap-3 pt-4 text-xs text-slate-500">
      <span className="h-px flex-1 bg-slate-200" />
      {children}
      <span className="h-px flex-1 bg-slate-200" />
    </div>
  );
}

function UserPrompt({ row, slots }: { row: Extract<Row, { kind: "prompt" }>; slots: RowSlots }) {
  const text = row.parts
    .filter((p) => p.type === "text")
    .map((p) => p.text ?? "")
    .join("\n\n");
  // Prompts no person wrote: opencode asks for a summary when the context fills up, then
  // continues by itself with a hidden prompt of its own.
  const compaction = row.parts.find((p) => p.type === "compaction");
  if (compaction && !text.trim()) {
    return (
      <RunnerNotice testId="compaction">
        {compaction.data.auto === true
          ? "The context was nearly full: the conversation was compacted; the agent continues from a summary"
          : "The conversation was compacted; the agent continues from a summary"}
      </RunnerNotice>
    );
  }
  if (row.automatic) return <RunnerNotice testId="automatic-prompt">The runner continued the run by itself</RunnerNotice>;
  return (
    <div data-testid="user-prompt" data-reverted={row.reverted ? "" : undefined} className={`flex justify-end pt-4 ${row.reverted ? "opacity-60" : ""}`}>
      <div className="max-w-[85%] rounded-2xl rounded-br-sm bg-slate-800 px-4 py-2.5 text-white shadow-sm">
        <p className="mb-1 text-[11px] text-slate-300">
          Prompt {row.turnIndex > 0 ? `#${row.turnIndex}` : ""}
          {row.reverted ? " · reverted" : ""}
          {row.message?.createdAt ? (
            <>
              {" · "}
              <LocalTime at={row.message.createdAt} />
            </>
          ) : null}
        </p>
        <div className="whitespace-pre-wrap break-words text-sm">{markUnrepresentable(text)}</div>
        {row.parts
          .filter((p) => p.type === "file")
          .map((p) => (
            <div key={p.id} className="mt-2 text-slate-900">
              <FilePart part={p} />
            </div>
          ))}
        {row.unanswered === "queued" && (
          <p data-testid="prompt-queued" className="mt-2 text-xs text-slate-300">
            Queued: the agent takes it up when the current turn ends.
          </p>
        )}
        {row.unanswered === "dropped" && (
          <div data-testid="prompt-dropped" className="mt-2 flex flex-wrap items-center gap-2 text-xs text-amber-200">
            Not run: the turn before it was aborted first.
            {slots.resendPrompt?.(text)}
          </div>
        )}
      </div>
    </div>
  );
}

function PartRow({ part, slots, waiting }: { part: PartEntry; slots: RowSlots; waiting?: "permission" | "question" }) {
  switch (part.type) {
    case "text":
      return <TextPart part={part} />;
    case "reasoning":
      return <ReasoningPart part={part} />;
    case "tool":
      return part.tool ? (
        <ToolCard tool={part.tool} output={slots.toolOutput?.(part.tool, part)} waiting={waiting}>
          {slots.toolExtra?.(part.tool, part)}
        </ToolCard>
      ) : null;
    case "step-finish":
      return <StepUsage part={part} />;
    case "file":
      return <FilePart part={part} />;
    case "patch":
      return <PatchPart part={part} />;
    default:
      return <OtherPart part={part} />;
  }
}

export function ConversationRow({ row, slots = {} }: { row: Row; slots?: RowSlots }) {
  switch (row.kind) {
    case "prompt":
      return <UserPrompt row={row} slots={slots} />;
    case "part":
      return <PartRow part={row.part} slots={slots} waiting={row.waiting} />;
    case "message-error":
      return <ErrorNote error={row.message.error!} testId="message-error" />;
    case "stalled":
      return (
        <p className="rounded-md bg-orange-50 px-3 py-2 text-sm text-orange-800">
          The runner stopped sending events for this turn; it is marked stalled.
        </p>
      );
    case "permission":
      return <PermissionCard request={row.request} actions={slots.permissionActions?.(row.request)} />;
    case "question":
      return <QuestionCard request={row.request} actions={slots.questionActions?.(row.request)} />;
    case "answer":
      return <AnswerNote answer={row.answer} />;
    case "session-error":
      return <ErrorNote error={row.error} testId="session-error" />;
    case "reverted":
      return (
        <div data-testid="reverted-note" className="flex flex-wrap items-center gap-3 rounded-md border border-dashed border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          <span className="flex-1">
            Reverted from turn {row.fromTurn} on: the runner undid what follows, and the sub-agents it started are hidden. It stays here for the record.
          </span>
          {slots.revertedActions?.()}
        </div>
      );
  }
}

/** A whole conversation without virtualization: nested sub-agents and read-only pages. */
export function Conversation({ rows, slots, empty }: { rows: Row[]; slots?: RowSlots; empty?: ReactNode }) {
  if (rows.length === 0) return <>{empty ?? <p className="text-sm text-slate-500">Nothing here yet.</p>}</>;
  return (
    <div className="space-y-3">
      {rows.map((row) => (
        <ConversationRow key={row.key} row={row} slots={slots} />
      ))}
    </div>
  );
}
