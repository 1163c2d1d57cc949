import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";

// Runner passwords at rest: AES-256-GCM, a random 96-bit IV per value, the auth tag checked on
// every read. The version in the prefix lets a later scheme read (and rewrite) older values.
const PREFIX = "enc:v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  override readonly name = "SecretBoxError";
}

export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  /** Any key material (FLIGHTDECK_SECRET, or the key file's bytes) stretched to an AES-256 key. */
  static fromKeyMaterial(material: string | Buffer): SecretBox {
    if (material.length === 0) throw new SecretBoxError("The secret key is empty.");
    return new SecretBox(Buffer.from(hkdfSync("sha256", material, "flightdeck", "runner credentials v1", 32)));
  }

  /** Stored values written before encryption existed are plaintext; they read as is. */
  static isSealed(stored: string): boolean {
    return stored.startsWith(PREFIX);
  }

  seal(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.key, iv);
    const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64url");
  }

  open(stored: string): string {
    if (!SecretBox.isSealed(stored)) return stored;
    const raw = Buffer.from(stored.slice(PREFIX.length), "base64url");
    if (raw.length < IV_BYTES + TAG_BYTES) throw new SecretBoxError("A stored secret is truncated.");
    try {
      const decipher = createDecipheriv("aes-256-gcm", this.key, raw.subarray(0, IV_BYTES));
      decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString("utf8");
    } catch {
      throw new SecretBoxError(
        "A stored secret cannot be decrypted: the key (FLIGHTDECK_SECRET, or secret.key in the data dir) is not the one it was encrypted with, or the value was altered.",
      );
    }
  }
}
