import { escapeRegExp } from "./literals";

// The home directory names the person (/home/alice, /Users/alice); a shared tree shows it as `~`.
// Only at path boundaries: /home/alice2 and /srv/home/alice are other paths.
export function homeReplacer(home: string | undefined): (text: string) => string {
  const root = home?.replace(/[\/\\]+$/, "");
  if (!root || root.length <= 1) return (text) => text;
  const pattern = new RegExp(`(?<![\\w.~-])${escapeRegExp(root)}(?![\\w.~-])`, "g");
  return (text) => text.replace(pattern, "~");
}
