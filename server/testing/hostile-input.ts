import { randomUUID } from "node:crypto";
import fc from "fast-check";
import type { z } from "zod";
import { hostileText } from "~/server/testing/hostile-text";

// Inputs a careless or hostile client sends a procedure: mostly following the procedure's input
// schema field by field (so calls get past validation into the domain code, with hostile text,
// edge numbers and real or unknown ids), sometimes anything at all.

/** Ids that exist in the fixture, so that generated calls reach rows, not only "not found". */
export type KnownIds = readonly string[];

const LARGE = 20_000; // longer than any field allows, short enough for a fast run

/** Text as hostile as it gets: NUL, lone surrogates, RTL and control characters, and too long. */
export function anyText(maxLength = 60): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: hostileText(maxLength) },
    { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom("\u202E", "\u200F", "\u0007", "\u001B", "\r", "\n", "\t", " ", "\u00A0", "x"), maxLength }) },
    { weight: 1, arbitrary: fc.constantFrom("__proto__", "constructor", "toString", "../..", "/", "%00", "' OR 1=1 --", "<script>alert(1)</script>") },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom("a", "\u0000", "\uD800"), fc.integer({ min: 201, max: LARGE })).map(([c, n]) => c.repeat(n)) },
  );
}

/** Ids as a client may send them: known ones, unknown UUIDs, and what merely looks like one. */
export function anyId(known: KnownIds): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...known) },
    { weight: 1, arbitrary: fc.constant(null).map(() => randomUUID()) },
    { weight: 1, arbitrary: fc.uuid() },
    {
      weight: 2,
      arbitrary: fc.constantFrom(...known).chain((id) =>
        fc.constantFrom(id.toUpperCase(), `${id}\u0000`, ` ${id}`, id.slice(0, -1), `${id.slice(0, -1)}g`, id.replaceAll("-", ""), `{${id}}`),
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff", "ses_nope", "msg_nope", "") },
    { weight: 1, arbitrary: anyText(40) },
  );
}

const anyNumber = fc.oneof(
  fc.integer({ min: -5, max: 40 }),
  fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, -(2 ** 63), 1e308, 0.5, Number.NaN, Number.POSITIVE_INFINITY, -0),
  fc.double(),
);

/** Any JSON-ish value: hostile keys (`__proto__`, `constructor`), strings, numbers, some nesting. */
export function anyValue(known: KnownIds): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(anyText(), anyId(known), anyNumber, fc.boolean(), fc.constant(null), fc.constant(undefined), fc.date({ noInvalidDate: false }), fc.bigInt());
  const key = fc.oneof(anyText(10), fc.constantFrom("__proto__", "constructor", "prototype", "sessionId", "then"));
  const shallow = fc.anything({ key, values: [leaf], maxDepth: 3, maxKeys: 5, withNullPrototype: true, withMap: true, withSet: true });
  // Deep nesting, built directly (fast-check's depth bias keeps it low); bounded by what the
  // client's superjson and fast-check's reporting can walk within a test worker's stack.
  const deep = fc.tuple(fc.integer({ min: 50, max: 400 }), fc.boolean()).map(([depth, asArray]) => {
    let value: unknown = "bottom";
    for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
    return value;
  });
  return fc.oneof({ weight: 4, arbitrary: shallow }, { weight: 1, arbitrary: deep });
}

type Def = { type: string; innerType?: z.ZodType; element?: z.ZodType; shape?: Record<string, z.ZodType>; entries?: Record<string, string> };

/**
 * Values shaped like `schema` (zod 4), each part sometimes replaced by anything: a field of the
 * right type with a hostile value, a missing field, a wrong type, an extra `__proto__` key.
 */
export function shapedLike(schema: z.ZodType | undefined, known: KnownIds): fc.Arbitrary<unknown> {
  const wrong = anyValue(known);
  if (!schema) return wrong;
  const def = (schema as unknown as { _zod: { def: Def } })._zod.def;
  const either = (right: fc.Arbitrary<unknown>) => fc.oneof({ weight: 12, arbitrary: right }, { weight: 1, arbitrary: wrong });
  switch (def.type) {
    case "object": {
      const fields = Object.fromEntries(Object.entries((schema as z.ZodObject).shape).map(([name, field]) => [name, shapedLike(field, known)]));
      // Mostly every field, so that calls get past validation; sometimes any of them missing.
      const record = fc.oneof({ weight: 4, arbitrary: fc.record(fields) }, { weight: 1, arbitrary: fc.record(fields, { requiredKeys: [] }) });
      // Own properties, as JSON.parse makes them: assigning `__proto__` would set the prototype.
      const extras = fc.oneof({ weight: 3, arbitrary: fc.constant([]) }, { weight: 1, arbitrary: fc.array(fc.tuple(fc.constantFrom("__proto__", "constructor", "extra"), wrong), { maxLength: 2 }) });
      return either(
        fc.tuple(record, extras).map(([fieldsOf, more]) => {
          const value: Record<string, unknown> = { ...fieldsOf };
          for (const [name, field] of more) Object.defineProperty(value, name, { value: field, enumerable: true, writable: true, configurable: true });
          return value;
        }),
      );
    }
    case "string": {
      const format = (schema as z.ZodString).format;
      return either(format === "uuid" || format === "guid" ? anyId(known) : fc.oneof(anyText(), anyId(known)));
    }
    case "number":
      return either(anyNumber);
    case "boolean":
      return either(fc.boolean());
    case "enum":
      return either(fc.constantFrom(...Object.values(def.entries!)));
    case "array":
      return either(fc.array(shapedLike(def.element, known), { maxLength: 60 }));
    case "optional":
    case "nullable":
    case "default":
      return fc.oneof({ weight: 6, arbitrary: shapedLike(def.innerType, known) }, { weight: 4, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) });
    default:
      return wrong;
  }
}
