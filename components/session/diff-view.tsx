// A unified diff (as opencode's edit tool reports it) with added and removed lines colored.

function lineTone(line: string): string {
  if (line.startsWith("+++") || line.startsWith("---")) return "text-slate-500";
  if (line.startsWith("+")) return "bg-emerald-50 text-emerald-900";
  if (line.startsWith("-")) return "bg-red-50 text-red-900";
  if (line.startsWith("@@")) return "text-sky-700";
  return "text-slate-700";
}

export function DiffView({ diff, title }: { diff: string; title?: string }) {
  const lines = diff.replace(/\n$/, "").split("\n");
  return (
    <figure data-testid="diff" className="overflow-hidden rounded border border-slate-200">
      {title && <figcaption className="border-b border-slate-200 bg-slate-50 px-3 py-1 font-mono text-xs">{title}</figcaption>}
      <pre className="max-h-[32rem] overflow-auto py-1 font-mono text-xs">
        {lines.map((line, i) => (
          <div key={i} className={`px-3 ${lineTone(line)}`}>
            {line || " "}
          </div>
        ))}
      </pre>
    </figure>
  );
}

/**
 * A file the write tool replaced whole: its new content, plainly (the runner does not say what
 * it held before, so a diff of additions would claim a new file).
 */
export function ReplacedFile({ path, content }: { path: string; content: string }) {
  return (
    <figure data-testid="replaced-file" className="overflow-hidden rounded border border-slate-200">
      <figcaption className="border-b border-slate-200 bg-slate-50 px-3 py-1 font-mono text-xs">
        {path} <span className="font-sans text-amber-800">replaced whole; its new content:</span>
      </figcaption>
      <pre className="max-h-[32rem] overflow-auto px-3 py-1 font-mono text-xs text-slate-700">{content.replace(/\n$/, "") || " "}</pre>
    </figure>
  );
}

/** A whole new file as a diff of additions (the write tool's content). */
export function asAddedFile(path: string, content: string): string {
  const body = content.replace(/\n$/, "").split("\n").map((l) => `+${l}`);
  return [`--- /dev/null`, `+++ ${path}`, `@@ -0,0 +1,${body.length} @@`, ...body].join("\n");
}
