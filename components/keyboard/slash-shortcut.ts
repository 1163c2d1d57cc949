type Focused = { tagName?: string; isContentEditable?: boolean };
type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "isComposing" | "defaultPrevented"> & {
  target: EventTarget | Focused | null;
};

const TYPING_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

/** Whether a key press is "/" meant as the search shortcut: not typed into a field, where it is text. */
export function isSlashShortcut(e: KeyPress): boolean {
  if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.isComposing || e.defaultPrevented) return false;
  const target = e.target as Focused | null;
  return !(target && (TYPING_TAGS.has(target.tagName ?? "") || target.isContentEditable));
}
