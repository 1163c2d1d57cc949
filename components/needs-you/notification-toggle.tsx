"use client";

import { useEffect, useState } from "react";
import { notificationsOn, notificationsSupported, turnNotificationsOff, turnNotificationsOn } from "./notifications";

type State = "unsupported" | "off" | "on" | "denied";

const current = (): State =>
  !notificationsSupported() ? "unsupported" : Notification.permission === "denied" ? "denied" : notificationsOn() ? "on" : "off";

/** Opt in or out of browser notifications for requests waiting and runs ending. */
export function NotificationToggle() {
  const [state, setState] = useState<State>("off");
  useEffect(() => setState(current()), []);
  if (state === "unsupported") return null;
  if (state === "denied") return <span className="text-xs text-slate-600">Notifications are blocked in this browser’s site settings.</span>;
  return (
    <button
      type="button"
      data-testid="notification-toggle"
      aria-pressed={state === "on"}
      onClick={async () => {
        if (state === "on") turnNotificationsOff();
        else await turnNotificationsOn();
        setState(current());
      }}
      className="rounded-md px-2 py-1 text-xs font-medium text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50"
    >
      {state === "on" ? "Notifications on · turn off" : "Notify me of requests and finished runs"}
    </button>
  );
}
