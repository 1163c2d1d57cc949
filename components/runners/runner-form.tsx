"use client";

import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "~/components/trpc/react";

const field = "w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm";

/** The remote runner a form changes; without one, the form adds a runner. */
export type EditedRunner = { id: string; name: string; url: string };

/**
 * Registers a remote `opencode serve` by URL, or changes one's name, address and credentials
 * (a runner that moved, or whose password changed or can no longer be read). The server checks
 * the runner answers before it keeps anything. Editing, a blank username or password keeps the
 * stored one.
 */
export function RunnerForm({ editing }: { editing?: EditedRunner }) {
  const trpc = useTRPC();
  const router = useRouter();
  const ids = useId();
  const form = useRef<HTMLFormElement>(null);
  const initial = { name: editing?.name ?? "", url: editing?.url ?? "", username: "", password: "" };
  const [values, setValues] = useState(initial);
  const [noPassword, setNoPassword] = useState(false);
  const onSuccess = () => {
    if (editing) form.current?.closest("details")?.removeAttribute("open");
    else setValues(initial);
    router.refresh();
  };
  const add = useMutation(trpc.runner.addRemote.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.runner.updateRemote.mutationOptions({ onSuccess }));
  const save = editing ? update : add;
  const input = (name: keyof typeof values, label: string, type = "text", placeholder = "", disabled = false) => (
    <label htmlFor={`${ids}-${name}`} className="space-y-1 text-sm">
      <span className="font-medium text-slate-700">{label}</span>
      <input
        id={`${ids}-${name}`}
        type={type}
        value={values[name]}
        placeholder={placeholder}
        autoComplete="off"
        disabled={disabled}
        onChange={(e) => setValues((v) => ({ ...v, [name]: e.target.value }))}
        className={`${field} disabled:bg-slate-100`}
      />
    </label>
  );
  const optional = editing ? "blank: unchanged" : "optional";

  return (
    <form
      ref={form}
      aria-label={editing ? `Change the runner ${editing.name}` : "Add a remote runner"}
      className="grid gap-3 rounded-lg border border-slate-200 bg-white p-4 shadow-sm md:grid-cols-4"
      // The browser refused the form itself (not a URL): the server's last answer no longer applies.
      onInvalidCapture={() => save.reset()}
      onSubmit={(e) => {
        e.preventDefault();
        const given = { name: values.name, url: values.url, username: values.username || undefined, password: values.password || undefined };
        if (editing) update.mutate({ ...given, runnerId: editing.id, password: noPassword ? null : given.password });
        else add.mutate(given);
      }}
    >
      {input("name", "Name", "text", "build-box")}
      {input("url", "URL", "url", "http://10.0.0.5:4096")}
      {input("username", `Username (${optional})`, "text", "opencode")}
      {input("password", `Password (${optional})`, "password", "", noPassword)}
      <div className="flex flex-wrap items-center gap-3 md:col-span-4">
        <button
          type="submit"
          disabled={save.isPending || !values.name.trim() || !values.url.trim()}
          className="rounded-md bg-slate-900 px-3 py-1.5 text-sm font-medium text-white disabled:opacity-50"
        >
          {save.isPending ? "Checking the runner…" : editing ? "Save" : "Add runner"}
        </button>
        {editing && (
          <label className="flex items-center gap-1.5 text-sm text-slate-700">
            <input type="checkbox" checked={noPassword} onChange={(e) => setNoPassword(e.target.checked)} />
            It takes no password
          </label>
        )}
        {save.error && (
          <span role="alert" className="text-sm text-red-700">
            {/* A refused input (e.g. a URL with user:pass@) says why in its field error. */}
            {(Object.values(save.error.data?.zodError?.fieldErrors ?? {}) as (string[] | undefined)[]).flat()[0] ?? save.error.message}
          </span>
        )}
      </div>
    </form>
  );
}
