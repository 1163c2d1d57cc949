"use client";

import { useRef, useState } from "react";
import { formatBytes } from "~/server/bytes";

type Stage =
  | { kind: "idle" }
  | { kind: "uploading"; sent: number; total: number }
  | { kind: "importing" }
  | { kind: "refused"; text: string };

/**
 * The opencode.db upload form. Without JavaScript it is a plain multipart post, and the server
 * brings the browser back to /archive with the outcome. With JavaScript the same post goes
 * through XMLHttpRequest, for what a large file needs: a file over the limit is refused before
 * a byte is sent, the upload shows its progress (and can be cancelled), then the import says it
 * runs; the page the server answers with (the outcome) is then opened.
 */
export function ImportUploadForm({ maxBytes }: { maxBytes: number }) {
  const [stage, setStage] = useState<Stage>({ kind: "idle" });
  const pending = useRef<XMLHttpRequest | null>(null);
  const busy = stage.kind === "uploading" || stage.kind === "importing";

  const send = (form: HTMLFormElement) => {
    const file = (form.elements.namedItem("file") as HTMLInputElement | null)?.files?.[0];
    if (file && file.size > maxBytes) {
      setStage({ kind: "refused", text: `${file.name} is ${formatBytes(file.size)}: uploads are limited to ${formatBytes(maxBytes)}. Nothing was sent. A larger database imports on the server with npm run import.` });
      return;
    }
    const xhr = new XMLHttpRequest();
    pending.current = xhr;
    xhr.open("POST", form.action);
    xhr.upload.onprogress = (event) => setStage({ kind: "uploading", sent: event.loaded, total: event.total || file?.size || 0 });
    xhr.upload.onload = () => setStage({ kind: "importing" });
    xhr.onload = () => {
      // The server answers a form post with a redirect: to the Archive page with the outcome (or
      // to sign in again); an answer from the endpoint itself is a refusal of the request.
      if (xhr.responseURL && new URL(xhr.responseURL).pathname !== new URL(form.action).pathname) window.location.assign(xhr.responseURL);
      else setStage({ kind: "refused", text: `The server refused the upload (HTTP ${xhr.status}): ${xhr.responseText.slice(0, 300) || xhr.statusText}` });
    };
    xhr.onerror = () => setStage({ kind: "refused", text: "The connection to the server was lost during the upload or the import. Nothing new may have been imported: look at the sessions, then try again." });
    xhr.onabort = () => setStage({ kind: "idle" });
    setStage({ kind: "uploading", sent: 0, total: file?.size ?? 0 });
    xhr.send(new FormData(form));
  };

  return (
    <form
      method="post"
      action="/api/archive/import"
      encType="multipart/form-data"
      className="space-y-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (!busy) send(e.currentTarget);
      }}
    >
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="block text-xs text-slate-500">opencode.db (up to {formatBytes(maxBytes)})</span>
          <input type="file" name="file" required aria-label="opencode database file" className="text-sm" disabled={busy} onChange={() => setStage({ kind: "idle" })} />
        </label>
        <label className="text-sm">
          <span className="block text-xs text-slate-500">Runner name (optional)</span>
          <input name="runnerName" maxLength={100} className="rounded border border-slate-300 px-2 py-1 text-sm" disabled={busy} />
        </label>
        <button type="submit" disabled={busy} className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50">
          Import
        </button>
        {stage.kind === "uploading" && (
          <button type="button" onClick={() => pending.current?.abort()} className="rounded-md border border-slate-300 px-3 py-1.5 text-sm">
            Cancel upload
          </button>
        )}
      </div>
      {stage.kind === "uploading" && (
        <p data-testid="import-progress" role="status" className="flex items-center gap-2 text-sm text-slate-700">
          <progress value={stage.sent} max={stage.total || 1} className="w-48" />
          Uploading… {stage.total ? Math.floor((stage.sent / stage.total) * 100) : 0}% ({formatBytes(stage.sent)} of {formatBytes(stage.total)})
        </p>
      )}
      {stage.kind === "importing" && (
        <p data-testid="import-progress" role="status" className="text-sm text-slate-700">
          Uploaded. Importing its session trees… a large database takes a few minutes; the outcome shows here.
        </p>
      )}
      {stage.kind === "refused" && (
        <p data-testid="import-error" role="alert" className="rounded bg-red-50 px-3 py-2 text-sm text-red-800">
          {stage.text}
        </p>
      )}
    </form>
  );
}
