/**
 * opencode's own pattern match for permission rules (util/wildcard in opencode 1.18): `*` is any
 * text, `?` one character, and a trailing " *" also matches the bare command ("git *" matches
 * "git"). Kept identical so Flightdeck claims a rule covers exactly what the runner would allow.
 */
export function wildcardMatch(text: string, pattern: string): boolean {
  let source = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
  if (source.endsWith(" .*")) source = `${source.slice(0, -3)}( .*)?`;
  return new RegExp(`^${source}$`, "s").test(text);
}
