import { applyRunnerConfigSeed } from "./runner-config-seed";

/** Vitest's global setup: what every suite's runners share (see runner-config-seed.ts). */
export default function setup(): void {
  applyRunnerConfigSeed();
}
