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

/** superjson, with outputs marked by `encodeOnce` encoded only the first time. */
export const transformer: CombinedDataTransformer = {
  input: superjson,
  output: {
    serialize(value: unknown) {
      if (typeof value !== "object" || value === null) return superjson.serialize(value);
      const cached = shared.get(value);
      if (cached) return cached;
      const encoded = superjson.serialize(value);
      if (cached === null) shared.set(value, encoded);
      return encoded;
    },
    deserialize: (value) => superjson.deserialize(value),
  },
};
