"use client";

import { authClient } from "./auth-client";

export function SignOutButton() {
  return (
    <button
      type="button"
      className="text-slate-600 hover:text-slate-900"
      onClick={async () => {
        await authClient.signOut();
        window.location.assign("/sign-in");
      }}
    >
      Sign out
    </button>
  );
}
