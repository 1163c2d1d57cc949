import type { ReactNode } from "react";
import { LocalTime } from "./local-time";
import type { PermissionEntry, QuestionEntry, RequestAnswer } from "./types";
import { REPLY_LABEL } from "~/server/store/request-answers";

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** What the agent wants to do, in the words a person decides on. */
export function permissionSummary(request: { permission?: unknown; patterns?: unknown; metadata?: unknown }): string {
  const metadata = (request.metadata ?? {}) as Record<string, unknown>;
  const patterns = Array.isArray(request.patterns) ? request.patterns.filter((p): p is string => typeof p === "string") : [];
  const what = str(metadata.command) ?? str(metadata.filepath) ?? str(metadata.filePath) ?? patterns.join(", ");
  return what ? `${str(request.permission) ?? "permission"}: ${what}` : (str(request.permission) ?? "permission");
}

/** A pending permission request. `actions` are the answer buttons for those allowed to answer. */
export function PermissionCard({ request, actions }: { request: PermissionEntry; actions?: ReactNode }) {
  return (
    <section
      data-testid="permission-request"
      data-request-id={request.id}
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm"
    >
      <p className="font-medium text-amber-900">The agent asks for permission</p>
      <p className="mt-1 break-words font-mono text-xs text-amber-950">{permissionSummary(request)}</p>
      {actions ? <div className="mt-3 flex flex-wrap gap-2">{actions}</div> : <p className="mt-2 text-xs text-amber-800">Waiting for an operator to answer.</p>}
    </section>
  );
}

export function QuestionCard({ request, actions }: { request: QuestionEntry; actions?: ReactNode }) {
  return (
    <section
      data-testid="question-request"
      data-request-id={request.id}
      role="alert"
      className="rounded-lg border border-amber-300 bg-amber-50 px-4 py-3 text-sm"
    >
      <p className="font-medium text-amber-900">The agent has a question</p>
      {request.questions.map((q, i) => (
        <div key={i} className="mt-2">
          {q.header && <p className="text-xs font-semibold uppercase tracking-wide text-amber-800">{q.header}</p>}
          <p className="text-amber-950">{q.question}</p>
          {!actions && q.options.length > 0 && (
            <ul className="mt-1 list-disc pl-5 text-xs text-amber-900">
              {q.options.map((o) => (
                <li key={o.label}>
                  {o.label}
                  {o.description && <span className="text-amber-700"> — {o.description}</span>}
                </li>
              ))}
            </ul>
          )}
        </div>
      ))}
      {actions ? <div className="mt-3">{actions}</div> : <p className="mt-2 text-xs text-amber-800">Waiting for an answer.</p>}
    </section>
  );
}

/** An answered request: what was asked, the answer, and who gave it when Flightdeck knows. */
export function AnswerNote({ answer }: { answer: RequestAnswer }) {
  const label = REPLY_LABEL[answer.reply] ?? `Answered (${answer.reply})`;
  const asked = answer.request
    ? answer.kind === "permission"
      ? permissionSummary(answer.request)
      : "question"
    : answer.kind;
  const rejected = answer.reply === "reject";
  return (
    <p
      data-testid="request-answer"
      data-request-id={answer.requestId}
      className={`rounded-md border px-3 py-1.5 text-xs ${rejected ? "border-red-200 bg-red-50 text-red-900" : "border-emerald-200 bg-emerald-50 text-emerald-900"}`}
    >
      <span className="font-semibold">{label}</span>
      {answer.answers?.length ? <> ({answer.answers.map((a) => a.join(", ")).join("; ")})</> : null}
      {answer.by ? <> by {answer.by}</> : answer.by === null ? <> outside Flightdeck</> : null}
      {answer.at && (
        <span className="text-slate-500">
          {" · "}
          <LocalTime at={answer.at} />
        </span>
      )}
      {" "}
      <span className="font-mono text-[11px] opacity-70">— {asked}</span>
    </p>
  );
}
