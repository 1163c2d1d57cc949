import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SecretBox } from "./secret-box";
import { appSecret as loadKeyMaterial } from "~/server/secret";

describe("SecretBox", () => {
  const box = SecretBox.fromKeyMaterial("correct horse battery staple");

  it("round-trips a password and never stores it in the clear", () => {
    const sealed = box.seal("hunter2");
    expect(sealed).toMatch(/^enc:v1:/);
    expect(sealed).not.toContain("hunter2");
    expect(box.open(sealed)).toBe("hunter2");
    // A random IV per value: the same password twice gives two different values.
    expect(box.seal("hunter2")).not.toBe(sealed);
  });

  it("fails clearly with the wrong key", () => {
    const sealed = box.seal("hunter2");
    expect(() => SecretBox.fromKeyMaterial("another key").open(sealed)).toThrow(/cannot be decrypted: the key \(FLIGHTDECK_SECRET/);
  });

  it("fails on a tampered value instead of returning garbage", () => {
    const sealed = box.seal("hunter2");
    const raw = Buffer.from(sealed.slice("enc:v1:".length), "base64url");
    raw[raw.length - 1]! ^= 1;
    expect(() => box.open(`enc:v1:${raw.toString("base64url")}`)).toThrow(/or the value was altered/);
    expect(() => box.open("enc:v1:AAAA")).toThrow(/truncated/);
  });

  it("reads a legacy plaintext value as is", () => {
    expect(SecretBox.isSealed("hunter2")).toBe(false);
    expect(box.open("hunter2")).toBe("hunter2");
  });
});

describe("appSecret (the key material)", () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));
  const tmp = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-key-"));
    dirs.push(dir);
    return dir;
  };

  it("generates the key file once, readable by the owner only, and reuses it", () => {
    const dataDir = tmp();
    const first = SecretBox.fromKeyMaterial(loadKeyMaterial({ dataDir })).seal("hunter2");
    expect(fs.statSync(path.join(dataDir, "secret.key")).mode & 0o777).toBe(0o600);
    expect(SecretBox.fromKeyMaterial(loadKeyMaterial({ dataDir })).open(first)).toBe("hunter2");
    expect(() => SecretBox.fromKeyMaterial(loadKeyMaterial({ dataDir: tmp() })).open(first)).toThrow(/cannot be decrypted/);
  });

  it("FLIGHTDECK_SECRET takes precedence and writes no key file", () => {
    const dataDir = tmp();
    const sealed = SecretBox.fromKeyMaterial(loadKeyMaterial({ secret: "shared", dataDir })).seal("hunter2");
    expect(fs.existsSync(path.join(dataDir, "secret.key"))).toBe(false);
    expect(SecretBox.fromKeyMaterial("shared").open(sealed)).toBe("hunter2");
  });
});
