import { describe, expect, it, vi } from "vitest";
import { reconnectWatcher } from "./source";

describe("the live feed's reconnect watcher", () => {
  it("asks for a full re-read only when the connection comes back after a drop", () => {
    const states: string[] = [];
    const reread = vi.fn();
    const w = reconnectWatcher((s) => states.push(s), reread);
    w.onConnectionStateChange({ state: "connecting" });
    w.onConnectionStateChange({ state: "pending" });
    w.onStarted();
    expect(reread).not.toHaveBeenCalled();
    w.onConnectionStateChange({ state: "connecting" });
    w.onConnectionStateChange({ state: "pending" });
    expect(reread).toHaveBeenCalledTimes(1);
    expect(states).toEqual(["live", "reconnecting", "live"]);
  });
});
