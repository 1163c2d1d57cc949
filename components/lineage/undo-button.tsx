/** The button that takes a revert back, wherever it is offered (the conversation's note, the timeline). */
export function UndoButton({ label, pending, onClick }: { label: string; pending: boolean; onClick: () => void }) {
  return (
    <button
      type="button"
      disabled={pending}
      onClick={onClick}
      className="rounded-md bg-white px-2.5 py-1 text-xs font-medium text-amber-900 ring-1 ring-inset ring-amber-300 hover:bg-amber-100 disabled:opacity-50"
    >
      {pending ? "Undoing…" : label}
    </button>
  );
}
