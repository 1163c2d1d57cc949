// ts_headline marks matches with these two private-use characters (never HTML): the snippet is
// split here into text segments, and the page renders them as text with <mark> around matches.
export const MATCH_START = "\uE000";
export const MATCH_END = "\uE001";
export const HEADLINE_OPTIONS = `StartSel=${MATCH_START}, StopSel=${MATCH_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;

/** What the headline's text has for `/`, `.` and `<` (server/search/search.ts headlineText), in that order. */
export const STOOD_IN = "/.<";
export const STAND_INS = "\uE002\uE003\uE004";
const STOOD_FOR: Record<string, string> = Object.fromEntries([...STAND_INS].map((c, i) => [c, STOOD_IN[i]!]));

export type SnippetSegment = { text: string; match: boolean };

/** A headline as plain-text segments; stray markers (agent output may hold them) are dropped. */
export function snippetSegments(headline: string): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  const push = (text: string, match: boolean) => {
    const clean = text.replace(/[\uE000\uE001]/g, "").replace(/[\uE002-\uE004]/g, (c) => STOOD_FOR[c]!).replace(/\s+/g, " ");
    if (!clean) return;
    const last = segments[segments.length - 1];
    if (last && last.match === match) last.text += clean;
    else segments.push({ text: clean, match });
  };
  let rest = headline;
  for (;;) {
    const start = rest.indexOf(MATCH_START);
    if (start < 0) break;
    const end = rest.indexOf(MATCH_END, start + 1);
    if (end < 0) break;
    push(rest.slice(0, start), false);
    push(rest.slice(start + 1, end), true);
    rest = rest.slice(end + 1);
  }
  push(rest, false);
  return segments;
}
