import type { Connection } from "./connection";

const look: Record<Connection, { label: string; dot: string; text: string }> = {
  live: { label: "Connected", dot: "bg-emerald-500", text: "text-emerald-700" },
  connecting: { label: "Connecting…", dot: "bg-slate-400 animate-pulse", text: "text-slate-500" },
  reconnecting: { label: "Reconnecting…", dot: "bg-amber-500 animate-pulse", text: "text-amber-700" },
  offline: { label: "Disconnected", dot: "bg-red-500", text: "text-red-700" },
  "signed-out": { label: "Signed out", dot: "bg-red-500", text: "text-red-700" },
};

export function ConnectionIndicator({ connection, onRetry }: { connection: Connection; onRetry: () => void }) {
  const { label, dot, text } = look[connection];
  return (
    <span data-testid="connection" data-state={connection} className={`inline-flex items-center gap-1.5 text-xs ${text}`}>
      <span className={`h-2 w-2 rounded-full ${dot}`} aria-hidden />
      {label}
      {connection === "offline" && (
        <button type="button" onClick={onRetry} className="ml-1 underline">
          Retry
        </button>
      )}
      {/* Retrying cannot help: the sign-in ended (signed out elsewhere, disabled, expired). */}
      {connection === "signed-out" && (
        <a href={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} className="ml-1 underline">
          Sign in again
        </a>
      )}
    </span>
  );
}
