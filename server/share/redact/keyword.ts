import { marker } from "./marker";
import { looksRandom } from "./randomness";

// The fuzzy layer: a value assigned to a name that says it is secret (DB_PASSWORD=..., "apiKey":
// "...", client_secret: ...) whatever its format, if the value looks random. Only the value goes;
// the name stays so a reader still follows the text.
const KEYWORD = String.raw`(?:api[_-]?key|token|secret|password|passwd|pwd|access[_-]?key|private[_-]?key|client[_-]?secret)`;

// - the name starts at an identifier boundary and is not a shell expansion (`${TOKEN:-}`);
// - the keyword ends the name, so `tokens: 1234` and `token_count=` are not assignments;
// - `==` is a comparison and `:-`, `:+`, `:?` are shell defaults, not assignments; Go's ` := ` is;
// - quotes may be JSON-escaped (`\"password\": \"...\"` in a tool's output);
// - the value stops at quotes, whitespace and brackets, and never starts with `$`, `<`, `{` or
//   `[` (a variable, a placeholder, an object, or a marker we already wrote).
const ASSIGNMENT = new RegExp(
  String.raw`(?<![\w.$-])(?<!\$\{)([\w.-]*${KEYWORD})(?!\w)(\\?["']?\s*(?:=(?![=>])|:(?![-+?=:])|(?<=\s):=)\s*\\?["'\x60]?)([^\s"'\x60$<>{}()\[\],;|&\\]+)`,
  "gi",
);

export function redactAssignments(text: string): string {
  return text.replace(ASSIGNMENT, (all, name: string, separator: string, value: string, at: number) =>
    // `secret = deriveKey2(...)` assigns what a call returns, not a literal.
    looksRandom(value) && text[at + all.length] !== "(" ? `${name}${separator}${marker("secret")}` : all,
  );
}
