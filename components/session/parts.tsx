import { CollapsibleText } from "./collapsible-text";
import { CopyButton } from "./copy-button";
import { formatCost, formatTokens } from "./format";
import { Markdown } from "./markdown";
import type { PartEntry } from "./types";

export function TextPart({ part }: { part: PartEntry }) {
  return (
    <div className="space-y-1">
      <div data-testid="assistant-text" data-part-id={part.id}>
        <Markdown text={part.text ?? ""} />
      </div>
      {part.text && part.endedAt && <CopyButton text={part.text} what="message" />}
    </div>
  );
}

/** Reasoning is long and secondary: collapsed until asked for. */
export function ReasoningPart({ part }: { part: PartEntry }) {
  const words = (part.text ?? "").trim().split(/\s+/).filter(Boolean).length;
  return (
    <details data-testid="reasoning" className="rounded-md border border-dashed border-slate-300 bg-slate-50/60 px-3 py-1.5">
      <summary className="cursor-pointer text-xs font-medium text-slate-500">
        Reasoning{part.endedAt ? "" : "…"} ({words} words)
      </summary>
      <div className="pt-1 italic text-slate-600">
        <Markdown text={part.text ?? ""} />
      </div>
    </details>
  );
}

export function StepUsage({ part }: { part: PartEntry }) {
  const step = part.step;
  if (!step) return null;
  const t = step.tokens;
  return (
    <p data-testid="step-usage" className="text-right text-[11px] text-slate-500">
      step · {formatTokens(t.input)} in · {formatTokens(t.output)} out
      {t.reasoning > 0 && <> · {formatTokens(t.reasoning)} reasoning</>}
      {(t.cacheRead > 0 || t.cacheWrite > 0) && (
        <>
          {" "}
          · cache {formatTokens(t.cacheRead)} read / {formatTokens(t.cacheWrite)} write
        </>
      )}
      {step.cost > 0 && <> · {formatCost(step.cost)}</>}
    </p>
  );
}

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** An attached or produced file: its name and type (contents are not inlined). */
export function FilePart({ part }: { part: PartEntry }) {
  const name = str(part.data.filename) ?? str(part.data.url) ?? "file";
  const source = part.data.source as { text?: { value?: unknown } } | undefined;
  const text = str(source?.text?.value);
  return (
    <div data-testid="file-part" className="rounded border border-slate-200 bg-white px-3 py-2 text-sm">
      <span className="font-mono text-xs">{name}</span>
      {str(part.data.mime) && <span className="ml-2 text-xs text-slate-500">{str(part.data.mime)}</span>}
      {text && <CollapsibleText text={text} label="File" />}
    </div>
  );
}

/**
 * The files a step changed (opencode's patch part lists them with the snapshot hash; it does not
 * say whether each was added, changed or removed, so neither does this).
 */
export function PatchPart({ part }: { part: PartEntry }) {
  const files = Array.isArray(part.data.files) ? part.data.files.filter((f): f is string => typeof f === "string") : [];
  if (files.length === 0) return null;
  return (
    <div data-testid="patch-part" className="rounded border border-slate-200 bg-white px-3 py-2 text-xs">
      <p className="font-medium text-slate-600">
        Changed {files.length} file{files.length === 1 ? "" : "s"}
      </p>
      <ul className="mt-1 space-y-0.5 font-mono">
        {files.map((f) => (
          <li key={f} className="break-all text-slate-700">
            {f}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Part types without a dedicated view still say what they are. */
export function OtherPart({ part }: { part: PartEntry }) {
  const label: Record<string, string> = {
    retry: "The runner retried the model call",
    compaction: "The conversation was compacted",
    agent: `Agent: ${str(part.data.name) ?? ""}`,
    subtask: `Sub-task: ${str(part.data.description) ?? ""}`,
  };
  return <p className="text-xs text-slate-500">{label[part.type] ?? `(${part.type})`}</p>;
}
