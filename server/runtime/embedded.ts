import { startScriptedModel, type ScriptedModel } from "~/server/model";
import type { Env } from "./env";
import { buildOpencodeConfig } from "./opencode-config";
import { RunnerSupervisor, type RunnerEvent, type RunnerSupervisorOptions } from "./supervisor";

export type EmbeddedRunnerOptions = Omit<RunnerSupervisorOptions, "opencodeConfig" | "env"> & {
  env?: Env;
  /** Subscribed before the first start, so no event is missed. */
  onEvent?: (event: RunnerEvent) => void;
  /** Pace of the Demo model's words (see startScriptedModel); 0 in tests. */
  deltaDelayMs?: number;
  /** A Demo model already serving (`npm start`'s, http://127.0.0.1:PORT): used, not started nor stopped here. */
  modelUrl?: string;
};

export type EmbeddedRunner = {
  supervisor: RunnerSupervisor;
  /** The Demo model the runner's `flightdeck-demo` provider points at. */
  model: ScriptedModel;
  modelConfigKey: string;
  usesDemoModel: boolean;
  /** Stops the runner, then the Demo model. */
  stop(): Promise<void>;
};

/**
 * The runner Flightdeck starts by itself: the Demo model (always there, so its scenarios work
 * next to real providers) and a supervised `opencode serve` configured to reach it.
 */
export async function startEmbeddedRunner(options: EmbeddedRunnerOptions = {}): Promise<EmbeddedRunner> {
  const { onEvent, deltaDelayMs, modelUrl, env = process.env, ...supervisorOptions } = options;
  const model = modelUrl ? servingModel(modelUrl) : await startScriptedModel({ deltaDelayMs });
  try {
    const { config, modelConfigKey, usesDemoModel } = buildOpencodeConfig({ demoBaseURL: model.baseURL, env });
    const supervisor = new RunnerSupervisor({ ...supervisorOptions, env, opencodeConfig: config });
    if (onEvent) supervisor.on(onEvent);
    await supervisor.start();
    return {
      supervisor,
      model,
      modelConfigKey,
      usesDemoModel,
      stop: async () => {
        await supervisor.stop();
        await model.close();
      },
    };
  } catch (err) {
    await model.close();
    throw err;
  }
}

function servingModel(url: string): ScriptedModel {
  return { url, baseURL: `${url}/v1`, port: Number(new URL(url).port), close: async () => {} };
}
