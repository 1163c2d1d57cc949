import fs from "node:fs";

// Runner processes lead their own process group, so one signal reaches the server and every
// tool subprocess it started.
//
// A runner left behind by an app that was SIGKILLed (no exit hook can run then) is found through
// its pid file on the next start and killed, so runners never pile up across app restarts.

function isOurRunner(pid: number, binary: string): boolean {
  try {
    const cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    // The binary itself, or a script run by its interpreter (FLIGHTDECK_OPENCODE_BIN may be one).
    return cmdline.slice(0, 2).includes(binary) && cmdline.includes("serve");
  } catch {
    // No /proc (not Linux) or no such process: never kill what we cannot identify.
    return false;
  }
}

export function reapStaleRunner(pidFile: string, binary: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, "utf8"), 10);
  } catch {
    return undefined;
  }
  fs.rmSync(pidFile, { force: true });
  if (!Number.isInteger(pid) || pid <= 0 || !isOurRunner(pid, binary)) return undefined;
  killGroup(pid, "SIGKILL");
  return pid;
}

/** Signals the process group led by `pid` (its tool subprocesses too); false if it is gone. */
export function killGroup(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

export function writePidFile(pidFile: string, pid: number) {
  fs.writeFileSync(pidFile, String(pid));
}

export function removePidFile(pidFile: string, pid: number) {
  try {
    if (fs.readFileSync(pidFile, "utf8") === String(pid)) fs.rmSync(pidFile, { force: true });
  } catch {
    // already gone
  }
}
