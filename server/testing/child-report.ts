/**
 * How an app script run by `startApp` (app-child.ts) tells its test what it does: one
 * `REPORT {json}` line on stdout per event, so the rest of its output stays free-form logs.
 */
export const REPORT_PREFIX = "REPORT ";

export function report(event: string, data: Record<string, unknown> = {}): void {
  console.log(`${REPORT_PREFIX}${JSON.stringify({ event, ...data })}`);
}

/** Reports the failure and exits: a script's last word when its main function throws. */
export function reportFailure(error: unknown): never {
  report("error", { message: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  process.exit(1);
}
