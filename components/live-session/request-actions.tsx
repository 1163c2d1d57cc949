"use client";

import { PermissionButtons, QuestionForm } from "~/components/session/request-buttons";
import type { PermissionEntry, QuestionEntry } from "~/components/session/types";
import { useLive } from "./live-context";

// In the live view a request names the session that asked by its opencode id: the answer goes to
// that session's row (a sub-agent's own), and waits while the view cannot answer.

function useAnswerTarget(sessionOpencodeId: string) {
  const { rowIds, sessionRowId, answerBlocked } = useLive();
  return { sessionId: rowIds.get(sessionOpencodeId) ?? sessionRowId, blocked: answerBlocked };
}

export function PermissionActions({ request, sessionOpencodeId }: { request: PermissionEntry; sessionOpencodeId: string }) {
  return <PermissionButtons request={request} {...useAnswerTarget(sessionOpencodeId)} />;
}

export function QuestionActions({ request, sessionOpencodeId }: { request: QuestionEntry; sessionOpencodeId: string }) {
  return <QuestionForm request={request} {...useAnswerTarget(sessionOpencodeId)} />;
}
