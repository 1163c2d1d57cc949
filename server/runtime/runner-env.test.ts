import { describe, expect, it } from "vitest";
import { runnerEnv, runnerPaths } from "./runner-env";

describe("runnerEnv", () => {
  const paths = runnerPaths("/data/runner");
  const env = runnerEnv(
    {
      PATH: "/usr/bin",
      LANG: "C.UTF-8",
      ANTHROPIC_API_KEY: "sk-ant",
      AWS_REGION: "eu-west-1",
      DATABASE_URL: "postgres://secret",
      FLIGHTDECK_OPENCODE_CONFIG: "{}",
      SESSION_SECRET: "s3cr3t",
      OPENCODE_DB: "/elsewhere.db",
    },
    paths,
    { username: "flightdeck", password: "pw" },
    { share: "disabled" },
  );

  it("keeps the app's own secrets away from the agent's shell", () => {
    expect(env.DATABASE_URL).toBeUndefined();
    expect(env.SESSION_SECRET).toBeUndefined();
    expect(env.FLIGHTDECK_OPENCODE_CONFIG).toBeUndefined();
    // An inherited opencode setting would point the runner somewhere else.
    expect(env.OPENCODE_DB).toBeUndefined();
  });

  it("passes what tools and model providers need", () => {
    expect(env).toMatchObject({ PATH: "/usr/bin", LANG: "C.UTF-8", ANTHROPIC_API_KEY: "sk-ant", AWS_REGION: "eu-west-1" });
  });

  it("isolates HOME and XDG dirs under the data dir and configures the server", () => {
    expect(env).toMatchObject({
      HOME: "/data/runner/home",
      XDG_DATA_HOME: "/data/runner/xdg/data",
      XDG_CONFIG_HOME: "/data/runner/xdg/config",
      XDG_CACHE_HOME: "/data/runner/xdg/cache",
      XDG_STATE_HOME: "/data/runner/xdg/state",
      OPENCODE_DISABLE_MODELS_FETCH: "1",
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_SHARE: "1",
      OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      OPENCODE_SERVER_USERNAME: "flightdeck",
      OPENCODE_SERVER_PASSWORD: "pw",
    });
    expect(JSON.parse(env.OPENCODE_CONFIG_CONTENT!)).toEqual({ share: "disabled" });
    expect(paths.database).toBe("/data/runner/xdg/data/opencode/opencode.db");
  });
});
