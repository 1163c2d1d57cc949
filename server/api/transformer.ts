import type { CombinedDataTransformer } from "@trpc/server";
import superjson from "superjson";

type Encoded = ReturnType<typeof superjson.serialize>;

// Values many subscribers receive unchanged (a published chunk of live events), with their
// encoding once computed. Weak: a chunk no viewer holds any more is forgotten with its encoding.
const shared = new WeakMap<object, Encoded | null>();

/**
 * Marks an immutable value that is sent to many subscribers, so it is superjson-encoded once
 * instead of once per connection. Returns the value.
 */
export function encodeOnce<T extends object>(value: T): T {
  if (!shared.has(value)) shared.set(value, null);
  return value;
}

/** Whether `encodeOnce` marked the value (a transport may keep its encoded bytes too). */
export function isEncodedOnce(value: object): boolean {
  return shared.has(value);
}

/**
 * A copy without the object properties that are undefined (superjson notes each one in its meta,
 * a path and a type, to bring the key back, which no client here tells from a missing key: 40%
 * of the bytes of a large snapshot). `found.special` is set when the value holds anything JSON
 * cannot carry as is (a Date, a Map, undefined in an array, NaN...): only then is superjson needed.
 */
function pruned(value: unknown, found: { special: boolean }): unknown {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      if (!Number.isFinite(value)) found.special = true;
      return value;
    case "object":
      break;
    default:
      found.special = true;
      return value;
  }
  if (value === null) return value;
  if (Array.isArray(value)) return value.map((item) => pruned(item, found));
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    found.special = true;
    return value;
  }
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(value)) if (field !== undefined) copy[key] = pruned(field, found);
  return copy;
}

// Plain data is its own JSON: superjson's walk (1.4 s for a 10,000-part snapshot) is skipped.
function encode(value: unknown): Encoded {
  const found = { special: false };
  const copy = pruned(value, found);
  return found.special ? superjson.serialize(copy) : { json: copy as Encoded["json"] };
}

/** superjson (undefined properties left out), with outputs marked by `encodeOnce` encoded only the first time. */
export const transformer: CombinedDataTransformer = {
  input: superjson,
  output: {
    serialize(value: unknown) {
      if (typeof value !== "object" || value === null) return encode(value);
      const cached = shared.get(value);
      if (cached) return cached;
      const encoded = encode(value);
      if (cached === null) shared.set(value, encoded);
      return encoded;
    },
    deserialize: (value) => superjson.deserialize(value),
  },
};
