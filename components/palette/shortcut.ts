type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "shiftKey" | "repeat">;

/** Ctrl+K, or Cmd+K on macOS (either works anywhere: no other shortcut of the app uses them). */
export function isPaletteShortcut(e: KeyPress): boolean {
  return (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey && !e.repeat && e.key.toLowerCase() === "k";
}

/** The shortcut as the reader's keyboard labels it. */
export function shortcutHint(userAgent: string): string {
  return /Mac|iPhone|iPad/.test(userAgent) ? "⌘K" : "Ctrl K";
}
