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

/**
 * A string this long stands in the rendering for its own digest: escaping it as JSON, then
 * copying it into the whole rendering, took three times as long as hashing it (a 16 MB part
 * update, which carries its text twice, held the event loop for half a second).
 */
const LONG_STRING = 64 * 1024;

// Built by concatenation, without intermediate arrays: a full sync fingerprints every part of a
// tree twice (the archive's and the source's), and this is most of its planning time.
function stableJson(value: unknown): string {
  // `#` never starts a JSON value, so a digest cannot be taken for a string.
  if (typeof value === "string" && value.length > LONG_STRING) return "#" + hash("sha1", value, "base64");
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
