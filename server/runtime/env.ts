import { z } from "zod";
import type { Config } from "@opencode-ai/sdk/v2/types";

/** An environment to read: process.env or a partial one in tests. */
export type Env = Record<string, string | undefined>;

// Keys that make opencode's own providers usable; any of them means the user wants a real model.
export const REAL_PROVIDER_KEYS = [
  "ANTHROPIC_API_KEY",
  "OPENAI_API_KEY",
  "OPENROUTER_API_KEY",
  "GEMINI_API_KEY",
  "GOOGLE_GENERATIVE_AI_API_KEY",
  "GROQ_API_KEY",
  "MISTRAL_API_KEY",
  "XAI_API_KEY",
  "DEEPSEEK_API_KEY",
] as const;

// The environment variables the runner layer reads (documented in server/runtime/README.md).
const runtimeEnvSchema = z.object({
  // An opencode config (JSON) merged over Flightdeck's. Setting `model` or any provider in it
  // means the user brings a real model, so the Demo model stops being the default.
  FLIGHTDECK_OPENCODE_CONFIG: z
    .string()
    .optional()
    .transform((text, ctx) => {
      if (!text?.trim()) return undefined;
      try {
        return z.record(z.string(), z.unknown()).parse(JSON.parse(text)) as Config;
      } catch {
        ctx.addIssue({ code: "custom", message: "FLIGHTDECK_OPENCODE_CONFIG must be a JSON object" });
        return z.NEVER;
      }
    }),
  // Path of an opencode executable to run instead of the bundled one.
  FLIGHTDECK_OPENCODE_BIN: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
  // A directory copied into a new embedded runner's opencode config directory (config-seed.ts).
  FLIGHTDECK_RUNNER_CONFIG_SEED: z.preprocess((v) => (v === "" ? undefined : v), z.string().optional()),
});

export type RuntimeEnv = z.infer<typeof runtimeEnvSchema>;

export function loadRuntimeEnv(env: Env = process.env): RuntimeEnv {
  const parsed = runtimeEnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration: ${problems.join("; ")}`);
  }
  return parsed.data;
}
