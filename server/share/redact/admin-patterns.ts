// Patterns an admin adds for secrets only their organisation knows the shape of (internal token
// formats, hostnames). Each is a regular expression source, matched case-sensitively.

/** Why the source cannot be used as a redaction pattern, or null if it can. */
export function checkPattern(source: string): string | null {
  let pattern: RegExp;
  try {
    pattern = new RegExp(source, "g");
  } catch (error) {
    return error instanceof Error ? error.message : "invalid regular expression";
  }
  // It would put a marker between every two characters.
  if (pattern.test("")) return "the pattern matches empty text";
  return null;
}

/** The usable patterns; invalid ones are skipped (checkPattern tells the admin why). */
export function compilePatterns(sources: readonly string[]): RegExp[] {
  return sources.filter((source) => checkPattern(source) === null).map((source) => new RegExp(source, "g"));
}

export function redactPatterns(text: string, patterns: readonly RegExp[], replacement: string): string {
  let out = text;
  // A pattern that matches empty text somewhere (`\b`, lookarounds) replaces nothing there.
  for (const pattern of patterns) out = out.replace(pattern, (m) => (m === "" ? m : replacement));
  return out;
}
