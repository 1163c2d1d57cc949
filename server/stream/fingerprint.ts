import { hash } from "node:crypto";

/**
 * A cheap content fingerprint for change detection: sha1 of a key-order-independent JSON
 * rendering (opencode re-sends the same object with its keys in another order). Inputs come
 * from parseRawEvent, so they are plain JSON of bounded depth.
 */
export function fingerprint(value: unknown): string {
  // One-shot: a full sync fingerprints every part, and a Hash object per call cost 3x as much.
  return hash("sha1", stableJson(value), "base64");
}

// Built by concatenation, without intermediate arrays: a full sync fingerprints every part of a
// tree twice (the archive's and the source's), and this is most of its planning time.
function stableJson(value: unknown): string {
  if (typeof value !== "object" || value === null) return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + stableJson(value[i]);
    return out + "]";
  }
  const record = value as Record<string, unknown>;
  let out = "{";
  let first = true;
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (item === undefined) continue;
    out += (first ? "" : ",") + JSON.stringify(key) + ":" + stableJson(item);
    first = false;
  }
  return out + "}";
}
