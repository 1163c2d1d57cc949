/**
 * A quick estimate of what a value holds in memory (strings at 2 bytes a character), for
 * bounding buffers by bytes without serializing every event.
 */
export function approxBytes(value: unknown, depth = 0): number {
  if (typeof value === "string") return 16 + value.length * 2;
  if (value === null || typeof value !== "object") return 8;
  // Deeper than any event shape: count it as a small object rather than walk on.
  if (depth > 8) return 64;
  let total = 32;
  if (Array.isArray(value)) for (const item of value) total += approxBytes(item, depth + 1);
  else for (const key in value) total += key.length * 2 + approxBytes((value as Record<string, unknown>)[key], depth + 1);
  return total;
}
