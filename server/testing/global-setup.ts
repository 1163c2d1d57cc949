import { prepareRunnerConfigSeed } from "./runner-config-seed";

/** Vitest's global setup: what every suite's runners share (see runner-config-seed.ts). */
export default function setup(): void {
  const seed = process.env.FLIGHTDECK_RUNNER_CONFIG_SEED || prepareRunnerConfigSeed();
  if (seed) process.env.FLIGHTDECK_RUNNER_CONFIG_SEED = seed;
}
