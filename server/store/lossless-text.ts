/**
 * A reversible encoding of text for PostgreSQL (and PGlite), which refuse U+0000 in `text` and
 * both U+0000 and unpaired UTF-16 surrogates in `json`/`jsonb` (a lone surrogate in `text` is
 * silently turned into U+FFFD by the UTF-8 encoder). A runner or user may send either, and the
 * archive must keep it exactly.
 *
 * Each such code unit becomes ESCAPE + its 4 hex digits, and so does ESCAPE itself, so every
 * ESCAPE in encoded text starts an escape and decoding is unambiguous. ESCAPE is U+FDD0, a
 * noncharacter Unicode reserves for internal use: text from the outside practically never holds
 * one, so encoding is the identity on everything else (searches and equality still work), and
 * decoding is a no-op unless the string contains it.
 *
 * Encoding works code unit by code unit, so encode(a) + encode(b) decodes to a + b: text can be
 * appended in SQL (streamed deltas) even when a surrogate pair is split between two pieces.
 */
const ESCAPE = "\uFDD0";
/** A regular expression source matching one unpaired UTF-16 surrogate. */
export const UNPAIRED_SURROGATE = "[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]";
const NEEDS_ESCAPE = new RegExp(`[\\u0000\\uFDD0]|${UNPAIRED_SURROGATE}`, "g");
const ESCAPED = /\uFDD0([0-9a-f]{4})/g;

const UNREPRESENTABLE = new RegExp(`\\u0000|${UNPAIRED_SURROGATE}`, "g");

/**
 * What a reader is shown of text that HTML cannot carry exactly (a parser drops NUL; UTF-8 has
 * no lone surrogate): NUL as ␀ and a lone surrogate as U+FFFD, visibly, instead of nothing.
 * The archive and the JSON export keep the exact text.
 */
export function markUnrepresentable(text: string): string {
  return text.replace(UNREPRESENTABLE, (c) => (c === "\u0000" ? "\u2400" : "\uFFFD"));
}

export function encodeText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (unit) => ESCAPE + unit.charCodeAt(0).toString(16).padStart(4, "0"));
}

export function decodeText(text: string): string {
  if (!text.includes(ESCAPE)) return text;
  return text.replace(ESCAPED, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/**
 * Encodes every string in a value, object keys included (a `jsonb` key is text too). Only plain
 * objects and arrays are walked: dates, decimals, buffers and Prisma's sentinels pass as they are.
 */
export function encodeValue<T>(value: T): T {
  return mapStrings(value, encodeText);
}

// JSON.stringify writes NUL and every unpaired surrogate as a lowercase \u escape (a paired one
// as itself) and U+FDD0 as itself: encoding the JSON text replaces those escapes (after an even
// run of backslashes, else the backslash is text) and U+FDD0 by what encoding the strings first
// would have written, without walking the value or stringifying it twice. Found with indexOf
// (a regular expression with a lookbehind took longer than the stringify itself).
const ENCODABLE_ESCAPE = /^(?:0000|d[89a-f][0-9a-f]{2})$/;
const BACKSLASH = 92;

/** `JSON.stringify(encodeValue(value))`, by one pass over the JSON text. */
export function encodedJson(value: unknown): string {
  const json = JSON.stringify(value);
  let out = "";
  let copied = 0;
  let escape = json.indexOf("\\u");
  let mark = json.indexOf(ESCAPE);
  while (escape >= 0 || mark >= 0) {
    if (mark >= 0 && (escape < 0 || mark < escape)) {
      out += json.slice(copied, mark) + ESCAPE + "fdd0";
      copied = mark + 1;
      mark = json.indexOf(ESCAPE, copied);
      continue;
    }
    let run = 0;
    while (escape - run - 1 >= 0 && json.charCodeAt(escape - run - 1) === BACKSLASH) run++;
    const hex = json.slice(escape + 2, escape + 6);
    if (run % 2 === 0 && ENCODABLE_ESCAPE.test(hex)) {
      out += json.slice(copied, escape) + ESCAPE + hex;
      copied = escape + 6;
    }
    escape = json.indexOf("\\u", escape + 2);
  }
  return copied === 0 ? json : out + json.slice(copied);
}

export function decodeValue<T>(value: T): T {
  return mapStrings(value, decodeText);
}

// Copy on write: a value with nothing to change comes back as the same object, so reading a
// large tree (where nearly nothing is escaped) allocates nothing.
function mapStrings<T>(value: T, map: (text: string) => string): T {
  if (typeof value === "string") return map(value) as T;
  if (Array.isArray(value)) {
    let out: unknown[] | undefined;
    value.forEach((item: unknown, i) => {
      const mapped = mapStrings(item, map);
      if (mapped !== item) (out ??= [...value])[i] = mapped;
    });
    return (out ?? value) as T;
  }
  if (!isPlainObject(value)) return value;
  let changed = false;
  const entries = Object.entries(value).map(([key, item]) => {
    const mapped: [string, unknown] = [map(key), mapStrings(item, map)];
    changed ||= mapped[0] !== key || mapped[1] !== item;
    return mapped;
  });
  if (!changed) return value;
  // defineProperty, not assignment: a "__proto__" key is data here, not the prototype.
  const out: Record<string, unknown> = {};
  for (const [key, item] of entries) {
    Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return out as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== "object" || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}
