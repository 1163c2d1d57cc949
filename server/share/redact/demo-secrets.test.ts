import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { FAKE_SECRETS } from "~/server/model/fake-secrets";
import { chatRequestSchema } from "~/server/model/request";
import { planReply, SECRETS_COMMAND } from "~/server/model/scenarios";
import { scriptText, type Script } from "~/server/model/script";
import { createRedactor } from ".";

// Every string `demo:secrets` puts in a session tree, as a share link would show them: the
// redactor must know each fake secret's format, since the app knows none of them.
const RUNNER_PASSWORD = "fd-runner-Qm4t8Zx2Lp7c";

function turn(steps: number): Script {
  const messages = [{ role: "user", content: "demo:secrets" }, ...Array.from({ length: steps }, () => ({ role: "assistant", content: "" }))];
  return planReply(chatRequestSchema.parse({ messages, tools: [{ type: "function", function: { name: "bash" } }] }));
}

function treeStrings(): string[] {
  const output = execFileSync("bash", ["--norc", "-c", SECRETS_COMMAND], {
    env: { ...process.env, OPENCODE_SERVER_PASSWORD: RUNNER_PASSWORD },
    encoding: "utf8",
  });
  const first = turn(0);
  return [scriptText(first, "reasoning"), scriptText(first), JSON.stringify({ command: SECRETS_COMMAND }), output, scriptText(turn(1))];
}

describe("demo:secrets through the redactor", () => {
  const redactor = createRedactor({ exactValues: [RUNNER_PASSWORD] });

  it("redacts every fake secret and the runner's password wherever the scenario puts them", async () => {
    const texts = treeStrings();
    const all = texts.join("\n");
    // The scenario does show each of them somewhere.
    for (const value of Object.values(FAKE_SECRETS)) expect(all).toContain(value);
    expect(all).toContain(RUNNER_PASSWORD);

    const redacted = texts.map(await redactor.collect(texts)).join("\n");
    const keyLines = FAKE_SECRETS.privateKey.split("\n").slice(1, -1);
    for (const value of [...Object.values(FAKE_SECRETS), ...keyLines, RUNNER_PASSWORD]) {
      expect(redacted).not.toContain(value);
    }
    expect(redacted).toContain("postgresql://app:[redacted:password]@db.internal:5432/prod");
    expect(await redactor.findHighConfidence(JSON.stringify(redacted))).toEqual([]);
  });
});
