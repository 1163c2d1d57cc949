import { marker } from "./marker";

// Shorter values are words and numbers of ordinary text as often as they are secrets.
export const MIN_LITERAL_LENGTH = 8;

/** Replaces known secret values (value → kind) wherever they occur. */
export type Literals = {
  replace(text: string): string;
  kindsIn(text: string): string[];
};

export function literals(values: ReadonlyMap<string, string>): Literals {
  const usable = [...values.keys()].filter((v) => v.length >= MIN_LITERAL_LENGTH);
  if (usable.length === 0) return { replace: (text) => text, kindsIn: () => [] };
  // One pass over the text; longest first, so a value that contains another goes whole.
  const pattern = new RegExp(
    usable
      .sort((a, b) => b.length - a.length)
      .map(escapeRegExp)
      .join("|"),
    "g",
  );
  const kindOf = (value: string) => values.get(value)!;
  return {
    replace: (text) => text.replace(pattern, (value) => marker(kindOf(value))),
    kindsIn: (text) => [...new Set(Array.from(text.matchAll(pattern), ([value]) => kindOf(value)))],
  };
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
