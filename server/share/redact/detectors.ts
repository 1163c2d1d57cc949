import { marker } from "./marker";
import { isPlaceholder } from "./randomness";

// Our own format rules, the layer after secretlint: formats it misses, and formats it finds only
// in file-like text (a token glued to prose, after a JSON `\n` escape, in a shell command). Each
// pattern matches the secret alone, with its context in lookarounds, so a match is replaced whole
// and the context (scheme and host, `Authorization: Bearer`, the variable name) stays readable.
type Detector = {
  kind: string;
  pattern: RegExp;
  /** Rejects a match that is a placeholder or an ordinary word of the same shape. */
  accept?: (match: string) => boolean;
};

// Token prefixes start at a word boundary, or right after a `\n`-style escape where the escape
// letter would otherwise glue the token to a word.
const START = String.raw`(?:(?<![A-Za-z0-9_])|(?<=\\[nrt]))`;
const token = (body: string) => new RegExp(`${START}${body}`, "g");

const mixedCase = (s: string) => /[a-z]/.test(s) && /[A-Z]/.test(s);
const mixedCaseAndDigits = (s: string) => mixedCase(s) && /[0-9]/.test(s);

const DETECTORS: readonly Detector[] = [
  {
    // An unterminated block runs to the end of the text: the rest of it may be the key body.
    kind: "private-key",
    pattern: /-----BEGIN[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[ A-Z0-9]*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: "aws-access-key-id", pattern: token("(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])") },
  {
    // 40 base64 characters alone look like any hash; only next to an aws/secret name are they a key.
    kind: "aws-secret-access-key",
    pattern: /(?<=(?:aws|secret)[\w .-]{0,30}["'\\\s]{0,4}(?:=>|[:=])["'\\\s]{0,4})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/gi,
    accept: mixedCase,
  },
  { kind: "github-token", pattern: token("(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})(?![A-Za-z0-9_])") },
  { kind: "anthropic-api-key", pattern: token("sk-ant-[A-Za-z0-9_-]{20,}") },
  {
    kind: "openai-token",
    pattern: token("sk-(?!ant-)(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}"),
    accept: mixedCaseAndDigits,
  },
  { kind: "jwt", pattern: token("eyJ[A-Za-z0-9_-]{10,}\\.eyJ[A-Za-z0-9_-]{10,}\\.[A-Za-z0-9_-]*") },
  { kind: "slack-token", pattern: token("xox[abprs]-[A-Za-z0-9-]{10,}") },
  { kind: "google-api-key", pattern: token("AIza[A-Za-z0-9_-]{35}(?![A-Za-z0-9_-])") },
  {
    // Any scheme: the password in `scheme://user:password@host`, not yet redacted. It runs to the
    // last `@` before the host, so a password containing `@` goes whole.
    kind: "password",
    pattern: /(?<=\b[a-z][a-z0-9+.-]*:\/\/[^\s:@\/]*:)(?!\[redacted:)[^\s\/]+(?=@[^\s@\/]+)/gi,
    accept: (m) => !isPlaceholder(m),
  },
  {
    kind: "authorization",
    pattern: /(?<=\bauthorization["']?\s*[:=]\s*["']?(?:basic|bearer|token)\s+)[A-Za-z0-9+\/=._~-]+/gi,
    accept: (m) => !isPlaceholder(m),
  },
];

export function redactFormats(text: string): string {
  let out = text;
  for (const { kind, pattern, accept } of DETECTORS) {
    out = out.replace(pattern, (m) => (accept && !accept(m) ? m : marker(kind)));
  }
  return out;
}

/** Kinds of the formats present in the text. */
export function formatsIn(text: string): string[] {
  return DETECTORS.filter(({ pattern, accept }) => [...text.matchAll(pattern)].some(([m]) => !accept || accept(m))).map(
    (d) => d.kind,
  );
}
