"use client";

import { useEffect, useRef } from "react";
import { newNotices } from "./notices";
import { notificationsOn, showNotice } from "./notifications";
import { statusLabel, type DisplayStatus } from "~/components/session/status";
import { markUnrepresentable } from "~/server/store/lossless-text";
import { attentionTitle, baseTitle, sessionTitle, waitingIcon } from "./title";
import type { NeedsYouView } from "./types";

/** Keeps "(N) Waiting · " in front of whatever title the page sets, now and after it changes it. */
export function useAttentionTitle(waiting: number): void {
  useEffect(() => {
    const apply = () => {
      const next = attentionTitle(document.title, waiting);
      if (document.title !== next) document.title = next;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => {
      observer.disconnect();
      document.title = baseTitle(document.title);
    };
  }, [waiting]);
}

/** The tab's icon gets an amber dot while something waits. */
export function useAttentionIcon(waiting: number): void {
  useEffect(() => {
    if (waiting === 0) return;
    const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel~="icon"]')];
    const originals = links.map((link) => link.href);
    for (const link of links) link.href = waitingIcon();
    return () => links.forEach((link, i) => (link.href = originals[i]!));
  }, [waiting]);
}

/** Shows a notification for each new request and each ended run, when notifications are on. */
export function useNotices(now: NeedsYouView | undefined): void {
  const before = useRef<NeedsYouView | undefined>(undefined);
  useEffect(() => {
    if (!now) return;
    const notices = newNotices(before.current, now);
    before.current = now;
    if (notices.length > 0 && notificationsOn()) notices.forEach(showNotice);
  }, [now]);
}

/**
 * A session page's tab says what the session is doing: "Running · Fix the tests · Flightdeck".
 * Next sets the page's own title when its metadata arrives, which can be after this effect ran
 * (a CI run saw the tab stay "Flightdeck"), so the session's title is put back whenever the
 * head changes; a "(N) Waiting · " in front of it (useAttentionTitle) is left alone.
 */
export function useSessionTitle(status: DisplayStatus | undefined, title: string): void {
  useEffect(() => {
    if (!status) return;
    const wanted = sessionTitle(statusLabel[status], markUnrepresentable(title || "Untitled session"));
    const apply = () => {
      if (baseTitle(document.title) !== wanted) document.title = wanted;
    };
    apply();
    const observer = new MutationObserver(apply);
    observer.observe(document.head, { subtree: true, childList: true, characterData: true });
    return () => observer.disconnect();
  }, [status, title]);
}
