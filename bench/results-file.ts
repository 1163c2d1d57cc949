import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { round } from "./stats";

/** The machine a bench ran on. */
function machineInfo() {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadavg: os.loadavg(), memoryGb: round(os.totalmem() / 2 ** 30), node: process.version };
}

/**
 * A bench's results: to BENCH_OUT, else bench/results/<date>.json (<date>-<name>.json for a
 * standalone bench), with the date, how long it ran and the machine ahead of `body`; says where
 * it wrote them.
 */
export function writeResults(name: string | undefined, started: number, body: Record<string, unknown>): void {
  const date = new Date().toISOString();
  const file = path.resolve(process.env.BENCH_OUT ?? path.join(__dirname, "results", `${date.slice(0, 10)}${name ? `-${name}` : ""}.json`));
  const durationS = Math.round((Date.now() - started) / 1000);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ date, durationS, machine: machineInfo(), ...body }, null, 2)}\n`);
  console.log(`wrote ${path.relative(process.cwd(), file)} in ${durationS} s`);
}
