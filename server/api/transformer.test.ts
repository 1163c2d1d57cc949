import { describe, expect, it } from "vitest";
import { encodeOnce, transformer } from "./transformer";

describe("transformer", () => {
  it("leaves undefined properties out of the encoding instead of noting each one", () => {
    const value = { part: { id: "p1", time: { start: 1, end: undefined }, error: undefined }, at: new Date(5), list: [1, undefined] };
    const encoded = transformer.output.serialize(value) as { json: unknown; meta?: { values?: Record<string, unknown> } };
    expect(JSON.stringify(encoded.json)).not.toContain("error");
    expect(Object.keys(encoded.meta?.values ?? {})).toEqual(["at", "list.1"]);
    expect(transformer.output.deserialize(encoded)).toEqual({ part: { id: "p1", time: { start: 1 } }, at: new Date(5), list: [1, undefined] });
  });

  it("sends plain data as its own JSON, with no superjson meta, and reads it back the same", () => {
    const value = { seq: 3, parts: [{ id: "p", text: "<b>hi</b>", done: true, end: undefined }], error: null };
    const encoded = transformer.output.serialize(value) as { json: unknown; meta?: unknown };
    expect(encoded).toEqual({ json: { seq: 3, parts: [{ id: "p", text: "<b>hi</b>", done: true }], error: null } });
    expect(encoded.meta).toBeUndefined();
    expect(transformer.output.deserialize(JSON.parse(JSON.stringify(encoded)))).toEqual(encoded.json);
    expect((transformer.output.serialize({ n: Number.NaN }) as { meta?: unknown }).meta).toBeDefined();
  });

  it("encodes a value marked encodeOnce once, however many subscribers send it", () => {
    const chunk = encodeOnce([{ seq: 1, text: "hi", extra: undefined }]);
    const first = transformer.output.serialize(chunk);
    expect(transformer.output.serialize(chunk)).toBe(first);
    expect(transformer.output.serialize([{ seq: 1 }])).not.toBe(first);
  });
});
