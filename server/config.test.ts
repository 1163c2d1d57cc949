import { describe, expect, it } from "vitest";
import path from "node:path";
import { loadConfig } from "./config";

describe("loadConfig", () => {
  it("defaults to port 3000, ./data and embedded PGlite", () => {
    const cfg = loadConfig({});
    expect(cfg.PORT).toBe(3000);
    expect(cfg.dataDir).toBe(path.resolve("./data"));
    expect(cfg.DATABASE_URL).toBeUndefined();
  });

  it("treats an empty DATABASE_URL as unset", () => {
    expect(loadConfig({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
  });

  it("runs one process with an embedded runner unless REDIS_URL asks for several instances", () => {
    expect(loadConfig({}).FLIGHTDECK_EMBEDDED_RUNNER).toBe(true);
    expect(loadConfig({ FLIGHTDECK_EMBEDDED_RUNNER: "0" }).FLIGHTDECK_EMBEDDED_RUNNER).toBe(false);
    const several = { REDIS_URL: "redis://127.0.0.1:6379", DATABASE_URL: "postgresql://db/x", FLIGHTDECK_SECRET: "0123456789abcdef" };
    expect(loadConfig(several).FLIGHTDECK_EMBEDDED_RUNNER).toBe(false);
    expect(loadConfig({ ...several, FLIGHTDECK_EMBEDDED_RUNNER: "1" }).FLIGHTDECK_EMBEDDED_RUNNER).toBe(true);
    expect(loadConfig(several).FLIGHTDECK_REDIS_PREFIX).toBe("fd:");
    expect(() => loadConfig({ ...several, DATABASE_URL: "" })).toThrow(/REDIS_URL \(several instances\) needs DATABASE_URL/);
    expect(() => loadConfig({ ...several, FLIGHTDECK_SECRET: "" })).toThrow(/needs FLIGHTDECK_SECRET, the same on every instance/);
    expect(() => loadConfig({ ...several, REDIS_URL: "http://x" })).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(() => loadConfig({ ...several, FLIGHTDECK_INSTANCE_ID: "a b" })).toThrow(/FLIGHTDECK_INSTANCE_ID must be/);
  });

  it("names the variable that is wrong", () => {
    expect(() => loadConfig({ DATABASE_URL: "mysql://x" })).toThrow(/DATABASE_URL must be a postgres/);
    expect(() => loadConfig({ PORT: "eighty" })).toThrow(/PORT/);
  });

  it("reads workspace roots separated by colons or commas, and refuses relative ones", () => {
    expect(loadConfig({}).FLIGHTDECK_WORKSPACE_ROOTS).toBeUndefined();
    expect(loadConfig({ FLIGHTDECK_WORKSPACE_ROOTS: "/srv/a:/home/b,/c" }).FLIGHTDECK_WORKSPACE_ROOTS).toEqual(["/srv/a", "/home/b", "/c"]);
    expect(() => loadConfig({ FLIGHTDECK_WORKSPACE_ROOTS: "/srv:projects" })).toThrow(/FLIGHTDECK_WORKSPACE_ROOTS must list absolute paths/);
  });

  it("leaves the Demo model's pace to the model unless FLIGHTDECK_DEMO_DELTA_MS is set", () => {
    expect(loadConfig({}).FLIGHTDECK_DEMO_DELTA_MS).toBeUndefined();
    expect(loadConfig({ FLIGHTDECK_DEMO_DELTA_MS: "" }).FLIGHTDECK_DEMO_DELTA_MS).toBeUndefined();
    expect(loadConfig({ FLIGHTDECK_DEMO_DELTA_MS: "0" }).FLIGHTDECK_DEMO_DELTA_MS).toBe(0);
    expect(() => loadConfig({ FLIGHTDECK_DEMO_DELTA_MS: "-1" })).toThrow(/FLIGHTDECK_DEMO_DELTA_MS/);
  });

  it("takes a Demo model's URL only on this machine's loopback", () => {
    expect(loadConfig({}).FLIGHTDECK_DEMO_MODEL_URL).toBeUndefined();
    expect(loadConfig({ FLIGHTDECK_DEMO_MODEL_URL: "http://127.0.0.1:4123" }).FLIGHTDECK_DEMO_MODEL_URL).toBe("http://127.0.0.1:4123");
    expect(() => loadConfig({ FLIGHTDECK_DEMO_MODEL_URL: "http://example.com:4123" })).toThrow(/FLIGHTDECK_DEMO_MODEL_URL must be http:\/\/127.0.0.1:PORT/);
  });
});
