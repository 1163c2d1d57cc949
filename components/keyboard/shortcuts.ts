type Focused = { tagName?: string; isContentEditable?: boolean; closest?: (selector: string) => unknown };
type KeyPress = Pick<KeyboardEvent, "key" | "ctrlKey" | "metaKey" | "altKey" | "isComposing" | "defaultPrevented"> & {
  target: EventTarget | Focused | null;
};

/** The app's single-key shortcuts, by what they do (listed to people by `SHORTCUTS`). */
export type Shortcut = "search" | "next" | "previous" | "help" | "escape";

const KEYS: Record<string, Exclude<Shortcut, "escape">> = { "/": "search", j: "next", k: "previous", "?": "help" };
const TYPING_TAGS = new Set(["INPUT", "TEXTAREA", "SELECT"]);

/**
 * Which shortcut a key press is, if any. Letters and "/" typed into a field are text, never a
 * shortcut; Escape counts anywhere except inside an open dialog, which it closes instead, and on
 * a drop-down (a select), whose own Escape closes its list: a run is not aborted from a menu.
 */
export function shortcutOf(e: KeyPress): Shortcut | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey || e.isComposing || e.defaultPrevented) return undefined;
  const target = e.target as Focused | null;
  if (e.key === "Escape") return target?.closest?.("dialog[open]") || target?.tagName === "SELECT" ? undefined : "escape";
  const shortcut = KEYS[e.key];
  if (!shortcut) return undefined;
  return target && (TYPING_TAGS.has(target.tagName ?? "") || target.isContentEditable) ? undefined : shortcut;
}

/** What the "?" list shows. */
export const SHORTCUTS: { keys: string; does: string }[] = [
  { keys: "/", does: "Search sessions (on the dashboard)" },
  { keys: "j / k", does: "Next / previous session in the list" },
  { keys: "Enter", does: "Open the session in focus" },
  { keys: "Ctrl+K", does: "Command palette: jump to a session, runner or page" },
  { keys: "Ctrl+Enter", does: "Send the prompt" },
  { keys: "Esc", does: "Abort the running turn (session page); close the new-session form or a dialog" },
  { keys: "?", does: "This list" },
];
