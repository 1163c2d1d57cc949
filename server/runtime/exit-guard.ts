import { spawn } from "node:child_process";
import { killGroup } from "./process-group";

// Kills registered child process groups when this process goes away, so a runner never
// outlives the app. 'exit' covers normal ends; signals need their own handlers because Node
// dies on SIGINT/SIGTERM/SIGHUP without emitting 'exit'.
const groups = new Set<number>();
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
let installed = false;

function killAll() {
  for (const pid of groups) killGroup(pid, "SIGKILL");
  groups.clear();
}

function onSignal(signal: NodeJS.Signals) {
  // Someone else handles this signal (a graceful shutdown that stops runners itself): let them;
  // whatever is left dies on 'exit'. Otherwise keep Node's default of dying by the signal.
  if (process.listenerCount(signal) > 1) return;
  killAll();
  for (const s of SIGNALS) process.off(s, onSignal);
  process.kill(process.pid, signal);
}

function install() {
  if (installed) return;
  installed = true;
  process.on("exit", killAll);
  for (const s of SIGNALS) process.on(s, onSignal);
}

/**
 * A process killed with SIGKILL (an OOM kill, a test runner tearing down its workers) runs no
 * handler at all. A tiny shell outside Node watches for that: once this process is gone it
 * kills the group, and it ends by itself when the group ends first.
 */
function watchFromOutside(pgid: number): void {
  const script = `while kill -0 ${process.pid} 2>/dev/null && kill -0 -${pgid} 2>/dev/null; do sleep 1; done; kill -KILL -${pgid} 2>/dev/null`;
  const watcher = spawn("/bin/sh", ["-c", script], { detached: true, stdio: "ignore" });
  watcher.on("error", () => {}); // no /bin/sh: the in-process guard still covers normal exits
  watcher.unref();
}

/** `pid` must lead its own process group (spawned with `detached: true`). */
export function guardProcessGroup(pid: number): () => void {
  install();
  groups.add(pid);
  watchFromOutside(pid);
  return () => groups.delete(pid);
}
