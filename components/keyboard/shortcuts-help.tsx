"use client";

import { useRef } from "react";
import { SHORTCUTS } from "./shortcuts";
import { useShortcut } from "./use-shortcut";

/** "?" on any page lists the keyboard shortcuts; Esc or the button closes the list. */
export function ShortcutsHelp() {
  const dialog = useRef<HTMLDialogElement>(null);
  useShortcut("help", () => dialog.current?.showModal());
  return (
    <dialog ref={dialog} aria-labelledby="shortcuts-title" className="m-auto w-full max-w-lg rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40">
      <div className="space-y-3 p-5">
        <h2 id="shortcuts-title" className="text-lg font-semibold">
          Keyboard shortcuts
        </h2>
        <table className="w-full text-sm">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys} className="border-t border-slate-100">
                <th scope="row" className="whitespace-nowrap py-1.5 pr-4 text-left font-mono text-xs font-semibold text-slate-900">
                  {s.keys}
                </th>
                <td className="py-1.5 text-slate-700">{s.does}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <form method="dialog" className="text-right">
          <button className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white hover:bg-slate-700">Close</button>
        </form>
      </div>
    </dialog>
  );
}
