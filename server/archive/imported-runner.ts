/**
 * An import's runner is remote and never serves: its address is the file the trees came from.
 * Its own module so the session commands and the runner list can ask without loading the
 * SQLite reader that `import.ts` brings.
 */
export function isImportedRunner(runner: { kind: string; status: string }): boolean {
  return runner.kind === "remote" && runner.status === "stopped";
}
