import { describe, expect, it } from "vitest";
import { FAKE_SECRETS } from "~/server/model/fake-secrets";
import { createRedactor } from "./redact";
import { refuseUnsafe, UnsafeShareError } from "./shared-tree";

describe("the last scan before share bytes are sent", () => {
  const redactor = createRedactor({ exactValues: ["runner-password-0123456789"] });

  it("refuses bytes that still hold a secret, naming its kind and never its value", async () => {
    for (const secret of [FAKE_SECRETS.githubToken, "runner-password-0123456789"]) {
      const refusal = await refuseUnsafe(redactor, JSON.stringify({ text: `here: ${secret}` })).catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(UnsafeShareError);
      expect((refusal as UnsafeShareError).kinds.length).toBeGreaterThan(0);
      expect((refusal as Error).message).not.toContain(secret);
    }
  });

  it("lets redacted bytes through unchanged", async () => {
    const bytes = JSON.stringify({ text: await redactor.redact(`token ${FAKE_SECRETS.githubToken} and runner-password-0123456789`) });
    await expect(refuseUnsafe(redactor, bytes)).resolves.toBe(bytes);
  });
});
