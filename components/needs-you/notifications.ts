import type { Notice } from "./notices";

// Browser notifications are opt-in per browser: the choice is kept in localStorage, and they show
// only while the browser grants them too.

const KEY = "flightdeck.notifications";

export function notificationsSupported(): boolean {
  return typeof window !== "undefined" && "Notification" in window;
}

export function notificationsOn(): boolean {
  return notificationsSupported() && localStorage.getItem(KEY) === "on" && Notification.permission === "granted";
}

/** Asks the browser (it may ask the person); on a grant, notifications are on. */
export async function turnNotificationsOn(): Promise<NotificationPermission> {
  const permission = await Notification.requestPermission();
  if (permission === "granted") localStorage.setItem(KEY, "on");
  return permission;
}

export function turnNotificationsOff(): void {
  localStorage.setItem(KEY, "off");
}

export function showNotice(notice: Notice): void {
  const notification = new Notification(notice.title, { body: notice.body, tag: notice.tag });
  notification.onclick = () => {
    window.focus();
    window.location.assign(notice.href);
  };
}
