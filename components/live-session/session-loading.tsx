/** Where the conversation goes while nothing of it is in yet. */
export function SessionLoading() {
  return <div className="flex flex-1 items-center justify-center rounded-lg border border-slate-200 bg-white text-sm text-slate-500">Loading the session…</div>;
}
