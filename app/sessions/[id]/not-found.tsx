import { AppLink } from "~/components/layout/app-link";

export default function SessionNotFound() {
  return (
    <div className="mx-auto max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center">
      <p className="text-sm font-medium text-slate-500">404</p>
      <h1 className="mt-1 text-xl font-semibold">No such session</h1>
      <p className="mt-2 text-sm text-slate-600">
        It may have been purged by the retention policy, or the link is wrong.
      </p>
      <AppLink href="/" className="mt-4 inline-block text-sm text-sky-700 hover:underline">
        Back to all sessions
      </AppLink>
    </div>
  );
}
