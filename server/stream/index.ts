// The public surface of the event normalization core (see README.md).
export { Normalizer, type NormalizerOptions, type PushResult } from "./normalizer";
export { parseRawEvent, type ParseFailure, type ParseResult } from "./parse-raw-event";
export { SessionEvent, type SessionEventKind } from "./session-event";
export { Rejection, RejectionReason } from "./rejection";
export { SeedInput, SeedSession } from "./seed-input";
export { SnapshotState, SessionView } from "./snapshot-state";
export { applyEvent, emptySnapshot, snapshotEvent } from "./materialize";
export { turnIdOf, userMessageIdOf } from "./turn-tracker";
export * from "./entities";
