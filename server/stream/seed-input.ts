import { z } from "zod";
import { OpencodeId } from "./raw-event";

// What the bridge knows from the archive before it (re)subscribes to a runner: enough for the
// normalizer to place late events in their turns, keep archived turn indexes, continue the
// root's seq, and stay silent about everything already stored.
export const SeedSession = z.object({
  id: OpencodeId,
  // null: a root. A child's parent must be seeded too (or learned later) to resolve its root.
  parentId: OpencodeId.nullable(),
  // Roots only: Session.lastSeq from the archive.
  lastSeq: z.number().int().nonnegative().optional(),
  // The session info as opencode reported it (Session.data); optional.
  info: z.unknown().optional(),
  // Archived turns, so indexes continue where the archive left them (gaps included).
  turns: z.array(z.object({ userMessageId: OpencodeId, index: z.number().int().positive() })).default([]),
  // Archived messages with their parts, in the shape of opencode's session.messages:
  // [{ info, parts }] (Message.data and Part.data).
  messages: z.array(z.unknown()).default([]),
});
export type SeedSession = z.input<typeof SeedSession>;

export const SeedInput = z.object({ sessions: z.array(SeedSession) });
export type SeedInput = z.input<typeof SeedInput>;
