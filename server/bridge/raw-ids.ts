/**
 * Every opencode session id a raw event mentions (its own, its parent's, a sub-agent's), read
 * leniently before normalization so the archive can seed those sessions first.
 */
export function sessionIdsIn(raw: unknown): string[] {
  if (!isObject(raw) || !isObject(raw.properties)) return [];
  const p = raw.properties;
  const ids = [p.sessionID, isObject(p.info) ? p.info.parentID : undefined];
  const part = isObject(p.part) ? p.part : undefined;
  const metadata = part && isObject(part.state) && isObject(part.state.metadata) ? part.state.metadata : undefined;
  ids.push(metadata?.sessionId);
  return ids.filter((id): id is string => typeof id === "string" && id.length > 0);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
