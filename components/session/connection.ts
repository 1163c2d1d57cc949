"use client";

import { useCallback, useState } from "react";

/** A live subscription as its reader sees it ("signed-out": the server ended it, the sign-in is over). */
export type Connection = "connecting" | "live" | "reconnecting" | "offline" | "signed-out";

type Seen = "never" | "yes" | "lost";

/**
 * Follows a tRPC subscription's connection: connecting until its first message, reconnecting
 * while a dropped connection is re-established, offline once the subscription gave up. Feed it
 * the subscription's messages (`received`) and connection changes; read it with its status.
 */
export function useConnection() {
  const [seen, setSeen] = useState<Seen>("never");
  const received = useCallback(() => setSeen("yes"), []);
  const onConnectionStateChange = useCallback((change: { state: "idle" | "connecting" | "pending" }) => {
    if (change.state === "connecting") setSeen((s) => (s === "never" ? s : "lost"));
    if (change.state === "pending") setSeen((s) => (s === "lost" ? "yes" : s));
  }, []);
  /**
   * `ready`: the reader also waits for something of its own (e.g. a first snapshot folded).
   * `error`: what ended the subscription; a refused caller (signed out, disabled) is not a network fault.
   */
  const connectionOf = (status: "idle" | "connecting" | "pending" | "error", ready = true, error?: unknown): Connection => {
    if (status === "error") return (error as { data?: { code?: string } } | undefined)?.data?.code === "UNAUTHORIZED" ? "signed-out" : "offline";
    if (seen === "never" || !ready) return "connecting";
    if (status === "connecting" || seen === "lost") return "reconnecting";
    return "live";
  };
  return { received, onConnectionStateChange, connectionOf };
}
