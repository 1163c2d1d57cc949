import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { resolveOpencodeBinary } from "./opencode-binary";

describe("resolveOpencodeBinary", () => {
  it("finds the platform's real executable, not a Node launcher", () => {
    const binary = resolveOpencodeBinary({});
    fs.accessSync(binary, fs.constants.X_OK);
    const head = Buffer.alloc(4);
    const fd = fs.openSync(binary, "r");
    fs.readSync(fd, head, 0, 4, 0);
    fs.closeSync(fd);
    expect(head.toString("latin1")).not.toMatch(/^#!/);
  });

  it("honours FLIGHTDECK_OPENCODE_BIN", () => {
    expect(resolveOpencodeBinary({ FLIGHTDECK_OPENCODE_BIN: "/opt/opencode" })).toBe("/opt/opencode");
    expect(resolveOpencodeBinary({ FLIGHTDECK_OPENCODE_BIN: "" })).not.toBe("");
  });
});
