import type { FileDiff } from "./mount";

/**
 * `git diff` output → one entry per file, each patch whole (headers included) so that the
 * entries joined again are a patch `git apply` takes. Pure.
 */
export function parseGitDiff(text: string): FileDiff[] {
  return text
    .split(/^(?=diff --git )/m)
    .filter((chunk) => chunk.startsWith("diff --git "))
    .map((chunk) => {
      const lines = chunk.split("\n");
      const status = /^new file mode /m.test(chunk) ? "added" : /^deleted file mode /m.test(chunk) ? "deleted" : "modified";
      const side = (prefix: string) => lines.find((line) => line.startsWith(prefix))?.slice(prefix.length + 2);
      const file = (status === "deleted" ? side("--- ") : side("+++ ")) ?? lines[0]!.replace(/^diff --git a\/.* b\//, "");
      let additions = 0;
      let deletions = 0;
      let inHunk = false;
      for (const line of lines) {
        if (line.startsWith("@@")) inHunk = true;
        else if (inHunk && line.startsWith("+")) additions++;
        else if (inHunk && line.startsWith("-")) deletions++;
      }
      return { file, patch: chunk.endsWith("\n") ? chunk : `${chunk}\n`, additions, deletions, status };
    });
}
