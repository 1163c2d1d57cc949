import { z } from "zod";

/** The rows whose ids callers pass, as an error about a malformed one names them. */
type RowKind = "Session" | "Runner" | "Turn" | "Part" | "Span" | "User" | "Invite" | "Audit entry" | "Share link" | "Download";

/** A row's id as an input: a UUID, else an error saying which id was malformed. The one validator for them. */
export const rowId = (kind: RowKind) => z.string().uuid({ message: `${kind} ids are UUIDs` });
