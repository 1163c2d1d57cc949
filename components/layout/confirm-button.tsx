"use client";

import { useState } from "react";

/**
 * A button for what cannot be taken back (revoking a link, disabling an account): the first
 * press asks, naming what happens (`confirm`), the second does it; Cancel leaves things as they were.
 */
export function ConfirmButton({ label, confirm, onConfirm }: { label: string; confirm: string; onConfirm: () => void }) {
  const [asking, setAsking] = useState(false);
  if (!asking) {
    return (
      <button type="button" className="text-red-700 underline" onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="inline-flex flex-wrap items-center justify-end gap-2">
      <button
        type="button"
        className="rounded bg-red-700 px-2 py-0.5 text-xs font-medium text-white hover:bg-red-800"
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>
      <button type="button" className="text-xs text-slate-600 underline" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
