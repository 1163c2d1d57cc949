import { markUnrepresentable } from "~/server/store/lossless-text";
import { CopyButton } from "./copy-button";

// Long text (tool output, inputs) shows its head with a truncation notice; the rest opens on
// demand. Pure HTML (<details> + a peer-open CSS switch), so it works without JavaScript.

const PREVIEW_LINES = 12;
const PREVIEW_CHARS = 1_500;

function head(text: string): string | undefined {
  const lines = text.split("\n");
  if (lines.length <= PREVIEW_LINES && text.length <= PREVIEW_CHARS) return undefined;
  return lines.slice(0, PREVIEW_LINES).join("\n").slice(0, PREVIEW_CHARS);
}

export function CollapsibleText({ text: raw, label, tone = "plain" }: { text: string; label: string; tone?: "plain" | "error" }) {
  const text = markUnrepresentable(raw);
  const preview = head(text);
  const box =
    tone === "error"
      ? "bg-red-50 text-red-900"
      : "bg-slate-50 text-slate-800";
  const pre = `max-h-[32rem] overflow-auto whitespace-pre-wrap break-words rounded px-3 py-2 font-mono text-xs ${box}`;
  const copy = <CopyButton text={text} what={label.toLowerCase()} className="absolute right-1.5 top-1.5 bg-white/90" />;
  if (!preview) {
    return (
      <div className="relative">
        <pre className={pre}>{text}</pre>
        {copy}
      </div>
    );
  }
  const lines = text.split("\n").length;
  return (
    <div data-testid="collapsed-text" className="relative">
      {copy}
      <details className="peer">
        <summary className="cursor-pointer text-xs text-slate-500 hover:text-slate-800">
          {label}: showing the first {Math.min(lines, PREVIEW_LINES)} of {lines.toLocaleString("en-US")} lines (
          {text.length.toLocaleString("en-US")} characters). Show all
        </summary>
        <pre className={`mt-1 ${pre}`}>{text}</pre>
      </details>
      <pre className={`mt-1 peer-open:hidden ${pre}`}>
        {preview}
        {"\n"}…
      </pre>
    </div>
  );
}
