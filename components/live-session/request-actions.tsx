"use client";

import { PermissionButtons, QuestionForm } from "~/components/session/request-buttons";
import type { PermissionEntry, QuestionEntry } from "~/components/session/types";
import { useLive } from "./live-context";

// In the live view a request names the session that asked by its opencode id: the answer goes to
// that session's row (a sub-agent's own), and waits while the view cannot answer.

/** The archive row a command about this session of the tree goes to. */
export function useCommandTarget(sessionOpencodeId: string) {
  const { rowIds, sessionRowId } = useLive();
  return rowIds.get(sessionOpencodeId) ?? sessionRowId;
}

function useAnswerTarget(sessionOpencodeId: string) {
  return { sessionId: useCommandTarget(sessionOpencodeId), blocked: useLive().answerBlocked };
}

export function PermissionActions({ request, sessionOpencodeId }: { request: PermissionEntry; sessionOpencodeId: string }) {
  return <PermissionButtons request={request} {...useAnswerTarget(sessionOpencodeId)} />;
}

export function QuestionActions({ request, sessionOpencodeId }: { request: QuestionEntry; sessionOpencodeId: string }) {
  return <QuestionForm request={request} {...useAnswerTarget(sessionOpencodeId)} />;
}
