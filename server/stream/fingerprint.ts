import { createHash } from "node:crypto";

/**
 * A cheap content fingerprint for change detection: sha1 of a key-order-independent JSON
 * rendering (opencode re-sends the same object with its keys in another order). Inputs come
 * from parseRawEvent, so they are plain JSON of bounded depth.
 */
export function fingerprint(value: unknown): string {
  return createHash("sha1").update(stableJson(value)).digest("base64");
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
