import type { RawEvent } from "./raw-event";
import type { SessionEventDraft } from "./session-event";
import { ledgerKey, type SessionLedger } from "./session-ledger";
import { toError, toMessageInfo, toPartInfo, toSessionInfo, toStatus } from "./to-entities";
import type { Placement, TurnMiss } from "./turn-tracker";

export type Translation = { ok: true; drafts: SessionEventDraft[] } | { ok: false; miss: TurnMiss };

/**
 * One raw event of one session -> the normalized events it means, placed in their turns.
 * Updates the session's ledger (turns, fingerprints) as a side effect; emits nothing for an
 * upsert that changes nothing.
 */
export function translate(event: RawEvent, ledger: SessionLedger): Translation {
  const { turns } = ledger;
  switch (event.type) {
    case "session.created":
    case "session.updated": {
      const session = toSessionInfo(event.properties.info);
      return drafts(ledger.changed(ledgerKey.session, session) ? [{ kind: "session.upserted", session }] : []);
    }
    case "session.deleted":
      return drafts([{ kind: "session.deleted" }]);
    case "session.status":
      return status(ledger, toStatus(event.properties.status));
    case "session.idle":
      // Older runners send only this; newer ones send it right after status idle (deduped).
      return status(ledger, { status: "idle" });
    case "session.compacted":
      return drafts([{ kind: "session.compacted" }]);
    case "session.error": {
      const { error } = event.properties;
      return drafts([{ kind: "session.error", error: error ? toError(error) : undefined }]);
    }
    case "message.updated": {
      const { info } = event.properties;
      const placed = turns.placeMessage(info.id, info.role, info.parentID ?? undefined);
      if (!placed.ok) return placed;
      const turnId = placed.turn.id;
      const message = toMessageInfo(info);
      return drafts([
        ...(placed.started ? [{ kind: "turn.started" as const, turnId, turn: placed.turn }] : []),
        ...(ledger.changed(ledgerKey.message(info.id), message)
          ? [{ kind: "message.upserted" as const, turnId, message }]
          : []),
      ]);
    }
    case "message.removed": {
      const { messageID } = event.properties;
      const partIds = turns.partIdsOf(messageID);
      const removed = turns.removeMessage(messageID);
      if (!removed.ok) return removed;
      ledger.invalidate(ledgerKey.message(messageID));
      for (const partId of partIds) ledger.invalidate(ledgerKey.part(partId));
      return drafts([{ kind: "message.removed", turnId: removed.turn.id, messageId: messageID }]);
    }
    case "message.part.updated": {
      const { part: raw } = event.properties;
      return inPart(turns.placePart(raw.id, raw.messageID), (turnId) => {
        const part = toPartInfo(raw);
        return ledger.changed(ledgerKey.part(raw.id), part)
          ? [{ kind: "part.upserted", turnId, messageId: raw.messageID, part }]
          : [];
      });
    }
    case "message.part.delta": {
      const { messageID, partID, field, delta } = event.properties;
      return inPart(turns.placePart(partID, messageID), (turnId) => {
        // Consumers now hold more than the last upsert: the next full version must go out
        // even if it equals that upsert.
        ledger.invalidate(ledgerKey.part(partID));
        return [{ kind: "part.delta", turnId, messageId: messageID, partId: partID, field, delta }];
      });
    }
    case "message.part.removed": {
      const { messageID, partID } = event.properties;
      return inPart(turns.removePart(partID, messageID), (turnId) => {
        ledger.invalidate(ledgerKey.part(partID));
        return [{ kind: "part.removed", turnId, messageId: messageID, partId: partID }];
      });
    }
    case "permission.asked": {
      const p = event.properties;
      const tool = p.tool && { messageId: p.tool.messageID, callId: p.tool.callID };
      return drafts([
        {
          kind: "permission.asked",
          turnId: tool && turns.turnOfMessage(tool.messageId)?.id,
          request: { id: p.id, permission: p.permission, patterns: p.patterns, always: p.always, metadata: p.metadata, tool },
        },
      ]);
    }
    case "permission.v2.asked": {
      const p = event.properties;
      const tool = p.source && { messageId: p.source.messageID, callId: p.source.callID };
      return drafts([
        {
          kind: "permission.asked",
          turnId: tool && turns.turnOfMessage(tool.messageId)?.id,
          request: { id: p.id, permission: p.action, patterns: p.resources, always: p.save, metadata: p.metadata, tool },
        },
      ]);
    }
    case "permission.replied":
    case "permission.v2.replied":
      return drafts([{ kind: "permission.replied", requestId: event.properties.requestID, reply: event.properties.reply }]);
    case "question.asked":
    case "question.v2.asked": {
      const p = event.properties;
      const tool = p.tool && { messageId: p.tool.messageID, callId: p.tool.callID };
      return drafts([
        {
          kind: "question.asked",
          turnId: tool && turns.turnOfMessage(tool.messageId)?.id,
          request: { id: p.id, questions: p.questions, tool },
        },
      ]);
    }
    case "question.replied":
    case "question.v2.replied":
      return drafts([
        { kind: "question.replied", requestId: event.properties.requestID, answers: event.properties.answers },
      ]);
    case "question.rejected":
    case "question.v2.rejected":
      return drafts([{ kind: "question.rejected", requestId: event.properties.requestID }]);
    case "todo.updated":
      return drafts([{ kind: "todo.updated", todos: event.properties.todos }]);
  }
}

function drafts(list: SessionEventDraft[]): Translation {
  return { ok: true, drafts: list };
}

function inPart(placed: Placement, make: (turnId: string) => SessionEventDraft[]): Translation {
  return placed.ok ? drafts(make(placed.turn.id)) : placed;
}

function status(ledger: SessionLedger, next: ReturnType<typeof toStatus>): Translation {
  return drafts(ledger.changed(ledgerKey.status, next) ? [{ kind: "session.status", ...next }] : []);
}
