import { describe, expect, it } from "vitest";
import { configuredAction } from "./configured";
import { wildcardMatch } from "./wildcard";

describe("wildcardMatch", () => {
  it("matches like opencode: * is any text, a trailing ' *' also takes the bare command", () => {
    expect(wildcardMatch("echo hi there", "echo *")).toBe(true);
    expect(wildcardMatch("echo", "echo *")).toBe(true);
    expect(wildcardMatch("echoes", "echo *")).toBe(false);
    expect(wildcardMatch("rm -rf /", "echo *")).toBe(false);
    expect(wildcardMatch("a.b", "a?b")).toBe(true);
    expect(wildcardMatch("axb", "a.b")).toBe(false);
  });
});

describe("configuredAction", () => {
  it("takes the last matching rule of the runner's permission config", () => {
    const config = { bash: { "*": "allow", "echo secret": "ask" } } as const;
    expect(configuredAction(config, "bash", "echo secret")).toBe("ask");
    expect(configuredAction(config, "bash", "ls")).toBe("allow");
    expect(configuredAction(config, "edit", "a.ts")).toBeUndefined();
    expect(configuredAction("deny", "edit", "a.ts")).toBe("deny");
    expect(configuredAction({ edit: "ask" }, "edit", "a.ts")).toBe("ask");
    expect(configuredAction(undefined, "bash", "ls")).toBeUndefined();
  });
});
