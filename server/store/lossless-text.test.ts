import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { hostileText } from "~/server/testing/hostile-text";
import { decodeText, decodeValue, encodedJson, encodeText, encodeValue, markUnrepresentable } from "./lossless-text";

const text = hostileText();

describe("lossless text encoding", () => {
  it("decodes to exactly the text encoded", () => {
    fc.assert(fc.property(text, (s) => decodeText(encodeText(s)) === s));
  });

  it("decodes appended encodings to the appended text (a surrogate pair split between deltas)", () => {
    fc.assert(fc.property(text, text, (a, b) => decodeText(encodeText(a) + encodeText(b)) === a + b));
  });

  it("leaves text without NUL, lone surrogates or U+FDD0 unchanged", () => {
    expect(encodeText("plain ascii, émoji 😀, CJK 漢字")).toBe("plain ascii, émoji 😀, CJK 漢字");
  });

  it("round-trips strings and keys anywhere in JSON, and keeps a __proto__ key as data", () => {
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), (value) => {
        expect(decodeValue(encodeValue(value))).toStrictEqual(value);
      }),
    );
    const withProto = JSON.parse('{"__proto__": "x\\u0000"}') as Record<string, unknown>;
    const roundTripped = decodeValue(encodeValue(withProto));
    expect(Object.getPrototypeOf(roundTripped)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(roundTripped, "__proto__")?.value).toBe("x\u0000");
  });

  it("writes the same JSON as encoding every string first, skipping the walk or not", () => {
    const hostile = fc.oneof(text, fc.string({ unit: "binary" }));
    fc.assert(
      fc.property(fc.jsonValue({ stringUnit: "binary" }), hostile, (value, s) => {
        for (const v of [value, { [s]: s, nested: [s, { s }] }]) expect(encodedJson(v)).toBe(JSON.stringify(encodeValue(v)));
      }),
    );
    // Backslashes next to what JSON escapes: text backslashes (an even run) never start an escape.
    for (const edge of ["\\u0000 is a backslash and text", "\\\u0000", "\\\\\u0000", "\\\\u0000", "\\\udbff", "\\udbff", "\ufdd0\\\ufdd0", "\ud83d\ude00\udc00"]) {
      for (const v of [edge, { [edge]: [edge] }]) expect(encodedJson(v)).toBe(JSON.stringify(encodeValue(v)));
    }
    expect(encodedJson({ a: "\\u0000 is a backslash and text" })).toBe(JSON.stringify({ a: "\\u0000 is a backslash and text" }));
  });
});

describeEachDatabase("lossless text encoding in the database", (database) => {
  it("stores any encoded text in text and jsonb columns and reads it back exactly", async () => {
    await fc.assert(
      fc.asyncProperty(text, async (s) => {
        const rows = await database.client.$queryRaw<{ t: string; j: unknown }[]>`
          SELECT ${encodeText(s)}::text AS t, ${JSON.stringify(encodeValue({ [s]: [s] }))}::jsonb AS j`;
        expect(decodeText(rows[0]!.t)).toBe(s);
        expect(decodeValue(rows[0]!.j)).toStrictEqual({ [s]: [s] });
      }),
      { numRuns: 200 },
    );
  });
});

describe("markUnrepresentable", () => {
  it("shows NUL and lone surrogates visibly and leaves pairs and other text alone", () => {
    expect(markUnrepresentable("a\u0000b\uD800c\uDC00d 😀 é")).toBe("a\u2400b\uFFFDc\uFFFDd 😀 é");
  });
});
