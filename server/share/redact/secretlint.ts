import { lintSource } from "@secretlint/core";
import { rules } from "@secretlint/secretlint-rule-preset-recommend";

// The maintained detector: secretlint's recommended rules over text.

/** A secret secretlint found: where it is in the scanned text, and what kind it is. */
export type Finding = { kind: string; start: number; end: number; severity: "info" | "warning" | "error" };

// The preset's comment filter honours `secretlint-disable` anywhere in the text, so agent output
// could switch detection off for everything after it. secretlint 13.1 ignores `disabled` for a
// rule inside a preset, so the preset's rules are registered one by one, without that one.
const FILTER_COMMENTS = "@secretlint/secretlint-rule-filter-comments";
const config = {
  rules: rules.filter((rule) => rule.meta.id !== FILTER_COMMENTS).map((rule) => ({ id: rule.meta.id, rule })),
};

export async function scanSecrets(content: string): Promise<Finding[]> {
  let result: Awaited<ReturnType<typeof lintSource>>;
  try {
    result = await lintSource({
      source: { content, filePath: "/share.txt", ext: ".txt", contentType: "text" },
      options: { config },
    });
  } catch (error) {
    // A rule's error could quote the text it was reading: only the error's class leaves here.
    throw new Error(`secretlint failed (${error instanceof Error ? error.name : typeof error})`);
  }
  // secretlint drops a leading byte order mark before it reports ranges.
  const shift = content.charCodeAt(0) === 0xfeff ? 1 : 0;
  return result.messages.map(({ messageId, range, data, severity }) => {
    const [start, end] = keyRange(messageId, range, data, content.slice(shift));
    return { kind: kindOf(messageId), start: start + shift, end: end + shift, severity };
  });
}

// secretlint 13.1's AWS secret rule reports a range that starts at the name
// (`AWS_SECRET_ACCESS_KEY=`) and is as long as the key, so it stops partway into the key. Its
// data holds the key itself.
function keyRange(messageId: string, range: readonly [number, number], data: unknown, content: string): [number, number] {
  const key = messageId === "AWSSecretAccessKey" ? (data as { KEY?: unknown } | undefined)?.KEY : undefined;
  const at = typeof key === "string" ? content.indexOf(key, range[0]) : -1;
  return at >= 0 && typeof key === "string" ? [at, at + key.length] : [range[0], range[1]];
}

/** `AWSSecretAccessKey` → `aws-secret-access-key`, `GITHUB_TOKEN` → `github-token`. */
function kindOf(messageId: string): string {
  return messageId
    .replace(/([a-z0-9])([A-Z])/g, "$1-$2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1-$2")
    .replace(/_+/g, "-")
    .toLowerCase();
}
