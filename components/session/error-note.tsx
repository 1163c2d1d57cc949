import type { ErrorInfo } from "~/server/stream/entities";
import { ABORTED_ERROR, describeError } from "~/server/stream/error-text";

/**
 * How a turn ended when it did not end well: "Aborted.", or one readable sentence with the
 * runner's raw error folded underneath (agent and provider output: rendered as text only).
 */
export function ErrorNote({ error, testId }: { error: ErrorInfo; testId: string }) {
  if (error.name === ABORTED_ERROR) {
    return (
      <p data-testid="turn-aborted" className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-600">
        Aborted.
      </p>
    );
  }
  return (
    <div data-testid={testId} className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
      <p data-testid="error-summary">{describeError(error)}</p>
      <details className="mt-1 text-xs text-red-900/80">
        <summary className="cursor-pointer select-none">Details</summary>
        <pre className="mt-1 max-h-64 overflow-auto whitespace-pre-wrap break-words font-mono">{JSON.stringify(error, null, 2)}</pre>
      </details>
    </div>
  );
}
