import { describe, expect, it } from "vitest";
import { FAKE_SECRETS } from "~/server/model/fake-secrets";
import { holdBackPartial } from "./streaming";

describe("holdBackPartial", () => {
  it("shows a complete part whole", () => {
    expect(holdBackPartial(`token ${FAKE_SECRETS.githubToken.slice(0, 10)}`, true)).toBe(
      `token ${FAKE_SECRETS.githubToken.slice(0, 10)}`,
    );
  });

  it("holds back the unfinished last token of a streaming part", () => {
    expect(holdBackPartial(`Use ${FAKE_SECRETS.githubToken.slice(0, 10)}`, false)).toBe("Use ");
    expect(holdBackPartial("All words done. ", false)).toBe("All words done. ");
    expect(holdBackPartial("sk-ant-api03-abc", false)).toBe("");
  });

  it("holds back a key block from its BEGIN line until its END line is complete", () => {
    const lines = FAKE_SECRETS.privateKey.split("\n");
    const partial = `The key:\n${lines.slice(0, 3).join("\n")}\n`;
    expect(holdBackPartial(partial, false)).toBe("The key:\n");
    const endCut = `The key:\n${lines.slice(0, -1).join("\n")}\n-----END RSA PRIV`;
    expect(holdBackPartial(endCut, false)).toBe("The key:\n");
    const done = `The key:\n${FAKE_SECRETS.privateKey}\nand more`;
    expect(holdBackPartial(done, false)).toBe(`The key:\n${FAKE_SECRETS.privateKey}\nand `);
  });
});
