// A part still streaming ends wherever the last delta stopped, possibly inside a secret: the first
// half of a token does not match its pattern, so it would be shown before the rest arrives and
// is recognised. Hold back the unfinished tail until more text (or the end) comes.

/** The part of a streaming text safe to redact and show now; all of it once complete. */
export function holdBackPartial(text: string, complete: boolean): string {
  if (complete) return text;
  // The trailing token has not ended until whitespace follows it.
  let cut = text.search(/\S*$/);
  // A key block is one secret across many lines: nothing of it until its END line is complete.
  const begin = text.lastIndexOf("-----BEGIN");
  if (begin >= 0 && !/-----END[^\n]*-----/.test(text.slice(begin))) cut = Math.min(cut, begin);
  return text.slice(0, cut);
}
