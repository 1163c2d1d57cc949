import { createRunnerClient } from "~/server/runtime/client";
import { CommandError } from "~/server/sessions/command-error";
import { replyPermission, sessionRow, type SessionDeps } from "~/server/sessions/commands";
import { onRunner } from "~/server/sessions/on-runner";
import { forgetAnswer, isPendingRequest, recordAnswer, recordedAnswer, REPLY_LABEL, type AnswerInput } from "~/server/store/request-answers";

type Replier = { name: string };

/** Records who answers before the runner hears it; a refused answer is taken back. */
async function answered(deps: SessionDeps, sessionRowId: string, answer: AnswerInput, send: () => Promise<unknown>) {
  // The runner answers an unknown request with a 500 of its own: say what was wrong instead.
  if (!(await isPendingRequest(deps.db, sessionRowId, answer.requestId))) {
    throw new CommandError("NOT_FOUND", `No ${answer.kind} request ${answer.requestId} is waiting in this session.`);
  }
  if (!(await recordAnswer(deps.db, sessionRowId, answer))) {
    const first = await recordedAnswer(deps.db, sessionRowId, answer.requestId);
    const what = first ? `${first.by} answered it first (${(REPLY_LABEL[first.reply] ?? first.reply).toLowerCase()})` : "Someone answered it first";
    throw new CommandError("CONFLICT", `${what}; your answer was not sent.`);
  }
  try {
    await send();
  } catch (error) {
    await forgetAnswer(deps.db, sessionRowId, answer.requestId);
    throw error;
  }
}

export async function answerPermission(
  deps: SessionDeps,
  by: Replier,
  input: { sessionId: string; requestId: string; reply: "once" | "always" | "reject" },
): Promise<void> {
  const row = await sessionRow(deps, input.sessionId);
  const runner = await deps.db.runner.findUniqueOrThrow({ where: { id: row.runnerId }, select: { alwaysAllow: true, instanceId: true } });
  if (input.reply === "always" && !runner.alwaysAllow) {
    throw new CommandError("PRECONDITION_FAILED", "An admin switched \"Always allow\" off for this runner: allow once or reject.");
  }
  await answered(
    deps,
    row.id,
    {
      requestId: input.requestId,
      kind: "permission",
      reply: input.reply,
      by: by.name,
      ...(input.reply === "always" && { runnerInstanceId: runner.instanceId }),
    },
    () => replyPermission(deps, input),
  );
}

export async function answerQuestion(
  deps: SessionDeps,
  by: Replier,
  input: { sessionId: string; requestId: string; answers: string[][] } | { sessionId: string; requestId: string; reject: true },
): Promise<void> {
  const row = await sessionRow(deps, input.sessionId);
  const link = await deps.runners.link(row.runnerId);
  if (!link) throw new CommandError("PRECONDITION_FAILED", "The runner of this session is not serving right now.");
  const client = createRunnerClient(link.endpoint, { directory: row.directory });
  if ("reject" in input) {
    await answered(deps, row.id, { requestId: input.requestId, kind: "question", reply: "reject", by: by.name }, () =>
      onRunner(link.endpoint, "take the answer", () => client.question.reject({ requestID: input.requestId })),
    );
    return;
  }
  await answered(
    deps,
    row.id,
    { requestId: input.requestId, kind: "question", reply: "answer", answers: input.answers, by: by.name },
    () => onRunner(link.endpoint, "take the answer", () => client.question.reply({ requestID: input.requestId, answers: input.answers })),
  );
}
