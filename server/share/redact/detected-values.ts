import { formatsIn } from "./detectors";
import { scanSecrets, type Finding } from "./secretlint";

// Strings are scanned joined, one a line, in groups of about this many characters: one call per
// string would cost a millisecond each, and one call for everything grows with the square of the
// findings (secretlint compares every finding with every other to drop duplicates).
const GROUP_CHARS = 64 * 1024;
const JOIN = "\n";

/** What secretlint finds in the strings, as value → kind for `literals`. */
export async function detectedValues(texts: readonly string[]): Promise<Map<string, string>> {
  const values = new Map<string, string>();
  for (const group of groups(texts)) {
    const findings = await scanSecrets(group.join(JOIN));
    for (const [value, kind] of valuesIn(group, findings)) values.set(value, kind);
  }
  return values;
}

function* groups(texts: readonly string[]): Generator<readonly string[]> {
  let start = 0;
  let chars = 0;
  for (let i = 0; i < texts.length; i++) {
    chars += texts[i]!.length + JOIN.length;
    if (chars >= GROUP_CHARS) {
      yield texts.slice(start, i + 1);
      start = i + 1;
      chars = 0;
    }
  }
  if (start < texts.length) yield texts.slice(start);
}

// A finding that spans a join becomes one value per string it touches, since each string is
// redacted alone.
function valuesIn(texts: readonly string[], findings: readonly Finding[]): Map<string, string> {
  const starts: number[] = [];
  let offset = 0;
  for (const text of texts) {
    starts.push(offset);
    offset += text.length + JOIN.length;
  }
  const values = new Map<string, string>();
  for (const { kind, start, end } of findings) {
    for (let i = textAt(starts, start); i < texts.length && starts[i]! < end; i++) {
      const text = texts[i]!;
      const value = text.slice(Math.max(start - starts[i]!, 0), Math.min(end - starts[i]!, text.length));
      // A whole connection string would hide its host: our URL rule redacts just the password.
      if (value && !formatsIn(value).includes("password")) values.set(value, kind);
    }
  }
  return values;
}

/** Index of the text that contains the offset (or the join after it). */
function textAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
