// The selected result is kept by key, not by position: results that arrive while the reader
// looks (the server's sessions) do not move the selection off what they picked with the arrows.
// Until they pick, it is the best match (key null).

/** Where the selection is in the results: the picked one if still listed, else the first; -1 when empty. */
export function selectedIndex(keys: string[], picked: string | null): number {
  if (keys.length === 0) return -1;
  const at = picked === null ? -1 : keys.indexOf(picked);
  return at >= 0 ? at : 0;
}

/** The key selected after an arrow key, wrapping around at either end; null for any other key. */
export function moveSelection(keys: string[], current: number, key: string): string | null {
  const step = key === "ArrowDown" ? 1 : key === "ArrowUp" ? -1 : 0;
  if (step === 0 || keys.length === 0) return null;
  return keys[(current + step + keys.length) % keys.length]!;
}
