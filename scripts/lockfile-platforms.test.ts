import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
// @ts-expect-error: a plain .mjs script without type declarations
import { missingOptionals, platformOf } from "./lockfile-platforms.mjs";

describe("package-lock.json", () => {
  it("has an entry for every optional platform binary, or `npm ci` refuses it", () => {
    const lock = JSON.parse(readFileSync("package-lock.json", "utf8"));
    expect(missingOptionals(lock).map((m: { name: string }) => m.name), "run `npm run lockfile:platforms`").toEqual([]);
  });
});

describe("platformOf", () => {
  it("reads os, cpu and libc from a binary package's name", () => {
    expect(platformOf("@next/swc-win32-arm64-msvc")).toEqual({ os: ["win32"], cpu: ["arm64"] });
    expect(platformOf("opencode-linux-x64-baseline-musl")).toEqual({ os: ["linux"], cpu: ["x64"], libc: ["musl"] });
    expect(platformOf("@tailwindcss/oxide-linux-arm-gnueabihf")).toEqual({ os: ["linux"], cpu: ["arm"], libc: ["glibc"] });
    expect(platformOf("@tailwindcss/oxide-wasm32-wasi")).toEqual({ cpu: ["wasm32"] });
  });
});
