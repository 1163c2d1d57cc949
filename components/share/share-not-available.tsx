// One page for every link that does not open (unknown, expired, revoked, sharing switched
// off): a visitor cannot tell which, so a token cannot be probed. The owner's list says which.
export function ShareNotAvailable() {
  return (
    <div className="mx-auto mt-16 max-w-lg rounded-lg border border-slate-200 bg-white p-8 text-center" data-testid="share-not-available">
      <p className="text-sm font-medium text-slate-500">404</p>
      <h1 className="mt-1 text-xl font-semibold">This link is not available</h1>
      <p className="mt-2 text-sm text-slate-600">It may have expired or been revoked, or the address is not complete. Ask whoever sent it for a new one.</p>
    </div>
  );
}
