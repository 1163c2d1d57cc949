import type { Turn } from "./entities";
import type { Rejection } from "./rejection";

export function turnIdOf(sessionId: string, userMessageId: string): string {
  return `${sessionId}:${userMessageId}`;
}

/** The user message that started a turn, from its id (see `turnIdOf`). */
export function userMessageIdOf(turnId: string): string {
  return turnId.slice(turnId.indexOf(":") + 1);
}

export type TurnMiss = Pick<Rejection, "reason" | "message" | "messageId" | "partId" | "parentMessageId">;
type Miss = { ok: false; miss: TurnMiss };
export type Placement = { ok: true; turn: Turn } | Miss;
// `started`: a user message opened a new turn.
export type MessagePlacement = { ok: true; turn: Turn; started: boolean } | Miss;

type MessageEntry = { turn: Turn; role: "user" | "assistant"; parts: Set<string> };

/**
 * Turn affinity inside ONE session (a sub-agent session has its own tracker). A user message
 * opens the next turn; an assistant message joins the turn of its parentID; a part joins its
 * message's turn. Placement is by id, never by recency, so a late event lands in its own
 * (older) turn. Anything that cannot be placed is a miss, never attached to the newest turn.
 */
export class TurnTracker {
  private readonly turnsByUserMessage = new Map<string, Turn>();
  private readonly messages = new Map<string, MessageEntry>();
  private readonly partMessage = new Map<string, string>();
  // Indexes are never reused, even after a turn's user message is removed (the store keeps
  // (session, index) unique).
  private lastIndex = 0;

  constructor(readonly sessionId: string) {}

  /** Re-creates a turn known from the archive, with its archived index. */
  restoreTurn(userMessageId: string, index: number): Turn {
    const known = this.turnsByUserMessage.get(userMessageId);
    if (known) return known;
    const turn = { id: turnIdOf(this.sessionId, userMessageId), index, userMessageId };
    this.turnsByUserMessage.set(userMessageId, turn);
    this.lastIndex = Math.max(this.lastIndex, index);
    return turn;
  }

  placeMessage(messageId: string, role: "user" | "assistant", parentId: string | undefined): MessagePlacement {
    const known = this.messages.get(messageId);
    if (known) {
      const expectedUser = role === "user" ? messageId : parentId;
      if (known.role !== role || known.turn.userMessageId !== expectedUser) {
        return miss("turn_conflict", `message ${messageId} was placed in turn ${known.turn.id} as ${known.role}`, {
          messageId,
          parentMessageId: parentId,
        });
      }
      return { ok: true, turn: known.turn, started: false };
    }
    if (role === "user") {
      const restored = this.turnsByUserMessage.get(messageId);
      const turn = restored ?? this.openTurn(messageId);
      this.messages.set(messageId, { turn, role, parts: new Set() });
      return { ok: true, turn, started: !restored };
    }
    const turn = parentId === undefined ? undefined : this.turnsByUserMessage.get(parentId);
    if (!turn) {
      return miss(
        "turn_unresolved",
        parentId === undefined
          ? `assistant message ${messageId} has no parentID`
          : `assistant message ${messageId} answers unknown user message ${parentId}`,
        { messageId, parentMessageId: parentId },
      );
    }
    this.messages.set(messageId, { turn, role, parts: new Set() });
    return { ok: true, turn, started: false };
  }

  /** Places a part (or a delta of it) in its message's turn; remembers it for later events. */
  placePart(partId: string, messageId: string): Placement {
    const knownMessage = this.partMessage.get(partId);
    if (knownMessage !== undefined && knownMessage !== messageId) {
      return miss("turn_conflict", `part ${partId} belongs to message ${knownMessage}, not ${messageId}`, {
        messageId,
        partId,
      });
    }
    const message = this.messages.get(messageId);
    if (!message) return miss("message_unknown", `part ${partId} of unknown message ${messageId}`, { messageId, partId });
    message.parts.add(partId);
    this.partMessage.set(partId, messageId);
    return { ok: true, turn: message.turn };
  }

  /** Forgets a message and its parts; returns the turn it was in. */
  removeMessage(messageId: string): Placement {
    const message = this.messages.get(messageId);
    if (!message) return miss("message_unknown", `removal of unknown message ${messageId}`, { messageId });
    for (const partId of message.parts) this.partMessage.delete(partId);
    this.messages.delete(messageId);
    if (message.role === "user") this.turnsByUserMessage.delete(messageId);
    return { ok: true, turn: message.turn };
  }

  removePart(partId: string, messageId: string): Placement {
    const placed = this.placePart(partId, messageId);
    if (placed.ok) {
      this.partMessage.delete(partId);
      this.messages.get(messageId)?.parts.delete(partId);
    }
    return placed;
  }

  turnOfMessage(messageId: string): Turn | undefined {
    return this.messages.get(messageId)?.turn;
  }

  hasTurn(turnId: string): boolean {
    return [...this.turnsByUserMessage.values()].some((t) => t.id === turnId);
  }

  messageIds(): string[] {
    return [...this.messages.keys()];
  }

  partIdsOf(messageId: string): string[] {
    return [...(this.messages.get(messageId)?.parts ?? [])];
  }

  private openTurn(userMessageId: string): Turn {
    const turn = { id: turnIdOf(this.sessionId, userMessageId), index: ++this.lastIndex, userMessageId };
    this.turnsByUserMessage.set(userMessageId, turn);
    return turn;
  }
}

function miss(reason: TurnMiss["reason"], message: string, ids: Omit<TurnMiss, "reason" | "message">): Miss {
  return { ok: false, miss: { reason, message, ...ids } };
}
