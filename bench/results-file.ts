import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { round } from "./stats";

/** The machine a bench ran on, as every results file records it. */
export function machineInfo() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadavg: os.loadavg(), memoryGb: round(os.totalmem() / 2 ** 30), node: process.version };
}

/**
 * A standalone bench's results: to BENCH_OUT, else bench/results/<date>-<name>.json, with the
 * date, how long it ran and the machine ahead of `body`; says where it wrote them.
 */
export function writeResults(name: string, started: number, body: Record<string, unknown>): void {
  const file = path.resolve(process.env.BENCH_OUT ?? path.join(__dirname, "results", `${new Date().toISOString().slice(0, 10)}-${name}.json`));
  const head = { date: new Date().toISOString(), durationS: Math.round((Date.now() - started) / 1000), machine: machineInfo() };
  fs.writeFileSync(file, `${JSON.stringify({ ...head, ...body }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}
