import type { ArchivedPart, ArchivedSession, ArchivedTree } from "./read";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { statEntries, treeStats } from "./stats";
import { describeError } from "~/server/stream/error-text";

// One self-contained HTML file of a whole archived tree: opens offline, loads nothing (a CSP
// forbids every fetch, script and frame), styles inline. Agent output is untrusted: every piece
// of it is HTML-escaped and shown as text (whitespace kept), never interpreted as markup.
// Sub-agents are nested <details> blocks under the tool call that spawned them.

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

export function escapeHtml(text: string): string {
  return markUnrepresentable(text.replace(/[&<>"']/g, (c) => ESCAPES[c]!));
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'";

const STYLE = `
body{font:14px/1.5 system-ui,sans-serif;color:#1e293b;background:#f8fafc;margin:0;padding:24px}
main{max-width:960px;margin:0 auto}
h1{font-size:20px;margin:0 0 4px}
.meta{color:#64748b;font-size:12px}
.stats{display:flex;flex-wrap:wrap;gap:6px 16px;background:#f5f3ff;border:1px solid #ddd6fe;border-radius:8px;padding:10px 12px;margin:12px 0;font-size:12px}
.turn{border-top:1px solid #e2e8f0;padding:8px 0}
.user{background:#e0f2fe;border-radius:8px;padding:8px 10px;margin:6px 0}
.text{white-space:pre-wrap;word-break:break-word}
details{border:1px solid #e2e8f0;border-radius:6px;background:#fff;padding:4px 8px;margin:6px 0}
summary{cursor:pointer;font-size:12px;color:#475569}
pre{white-space:pre-wrap;word-break:break-word;background:#f1f5f9;border-radius:4px;padding:6px;font-size:12px;max-height:none}
.subagent{border-left:3px solid #8b5cf6;margin-left:4px}
.error{color:#b91c1c}
`;

export function exportHtml(tree: ArchivedTree, exportedAt = new Date()): string {
  const stats = treeStats(tree);
  const rendered = new Set<string>();
  const statItems = statEntries(stats, {
    duration: formatMs,
    tokens: String,
    cost: (usd) => `$${usd.toFixed(4)}`,
    time: (at) => at.toISOString(),
  });
  const body = [
    `<h1>${escapeHtml(tree.root.title || "Untitled session")}</h1>`,
    `<p class="meta">Runner ${escapeHtml(tree.runner.name)} · ${escapeHtml(tree.root.directory)} · started ${tree.root.createdAt.toISOString()} · exported ${exportedAt.toISOString()}</p>`,
    `<div class="stats">${statItems.map(([k, v]) => `<span>${escapeHtml(k)} <b>${escapeHtml(v)}</b></span>`).join("")}</div>`,
    session(tree, tree.root, rendered),
  ];
  // Sub-agents whose spawning call is not in the archive still belong in the file.
  for (const s of Object.values(tree.sessions)) {
    if (!rendered.has(s.id)) body.push(subagent(tree, s, rendered));
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(tree.root.title || "Session")} · Flightdeck archive</title>
<style>${STYLE}</style></head>
<body><main>
${body.join("\n")}
</main></body></html>
`;
}

function session(tree: ArchivedTree, s: ArchivedSession, rendered: Set<string>): string {
  rendered.add(s.id);
  if (s.turns.length === 0) return `<p class="meta">No messages.</p>`;
  return s.turns
    .map((turn) => {
      const messages = turn.messages.map((m) => {
        const parts = m.parts.map((p) => part(tree, p, rendered)).join("\n");
        if (m.role === "user") return `<div class="user"><div class="text">${parts}</div></div>`;
        const error = m.error ? `<p class="error">${escapeHtml(describeError(m.error))}</p>` : "";
        return `<div class="assistant">${parts}${error}</div>`;
      });
      const status = turn.status === "completed" ? "" : ` · ${escapeHtml(turn.status)}${turn.error ? `: ${escapeHtml(turn.error)}` : ""}`;
      return `<section class="turn"><p class="meta">Turn ${turn.index}${status}</p>${messages.join("\n")}</section>`;
    })
    .join("\n");
}

function part(tree: ArchivedTree, p: ArchivedPart, rendered: Set<string>): string {
  if (p.type === "text") return `<div class="text">${escapeHtml(p.text ?? "")}</div>`;
  if (p.type === "reasoning") return `<details><summary>Reasoning</summary><div class="text">${escapeHtml(p.text ?? "")}</div></details>`;
  if (!p.tool) return "";
  const t = p.tool;
  const input = t.input === null || t.input === undefined ? "" : `<pre>${escapeHtml(JSON.stringify(t.input, null, 2))}</pre>`;
  const output = t.output ? `<pre>${escapeHtml(t.output)}${t.outputTruncated ? "\n…(truncated)" : ""}</pre>` : "";
  const error = t.error ? `<p class="error">${escapeHtml(t.error)}</p>` : "";
  const child = t.childSessionId ? tree.sessions[t.childSessionId] : undefined;
  return [
    `<details><summary>Tool ${escapeHtml(t.tool)}${t.title ? `: ${escapeHtml(t.title)}` : ""} · ${escapeHtml(t.status)}</summary>${input}${output}${error}</details>`,
    child ? subagent(tree, child, rendered) : "",
  ].join("");
}

function subagent(tree: ArchivedTree, s: ArchivedSession, rendered: Set<string>): string {
  return `<details class="subagent" open><summary>Sub-agent: ${escapeHtml(s.title || s.opencodeId)}${s.agent ? ` (@${escapeHtml(s.agent)})` : ""}</summary>${session(tree, s, rendered)}</details>`;
}

function formatMs(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
