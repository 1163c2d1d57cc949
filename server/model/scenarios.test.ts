import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { FAKE_DATABASE_URL, FAKE_SECRETS } from "./fake-secrets";
import { marker, parseMarker, SCENARIOS } from "./markers";
import { chatRequestSchema, type ChatMessage, type ChatRequest } from "./request";
import { DEFAULT_BIG_MB, DEFAULT_LONG_DELTAS, DEMO_WRITE_FILE, HOSTILE_MARKDOWN, PERMISSION_COMMAND, SECRETS_COMMAND, planReply } from "./scenarios";
import { scriptText, type Script, type ToolCallBeat } from "./script";

const ALL_TOOLS = ["bash", "read", "task", "edit", "write"];

// Shaped like opencode's requests: agent system prompt with an <env> block, the user prompt,
// then one assistant message + tool results per step already taken.
function request(prompt: string, steps: { calls: string[]; results: string[] }[] = [], tools = ALL_TOOLS): ChatRequest {
  const messages: ChatMessage[] = [
    { role: "system", content: "You are opencode.\n<env>\n  Working directory: /home/dev/project\n</env>" },
    { role: "user", content: [{ type: "text", text: prompt }] },
  ];
  steps.forEach((step, s) => {
    const ids = step.calls.map((_, i) => `call_${s}_${i}`);
    messages.push({
      role: "assistant",
      content: "",
      tool_calls: step.calls.map((name, i) => ({ id: ids[i]!, function: { name, arguments: "{}" } })),
    });
    step.results.forEach((r, i) => messages.push({ role: "tool", tool_call_id: ids[i], content: r }));
  });
  return chatRequestSchema.parse({
    model: "demo",
    stream: true,
    messages,
    tools: tools.map((name) => ({ type: "function", function: { name } })),
  });
}

const calls = (script: Script) => script.filter((b): b is ToolCallBeat => b.type === "tool_call");
const ending = (script: Script) => script.at(-1)?.type;

describe("parseMarker", () => {
  it("finds the first known marker and its argument anywhere in the prompt", () => {
    expect(parseMarker("please demo:long=200 now")).toEqual({ scenario: "long", arg: "200" });
    expect(parseMarker("demo:nope then demo:TEXT")).toEqual({ scenario: "text", arg: undefined });
    expect(parseMarker("no marker here; undemo:text is not one")).toBeUndefined();
  });

  it("round-trips every scenario through marker()", () => {
    for (const name of Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]) {
      expect(parseMarker(`x ${marker(name, 3)} y`)).toEqual({ scenario: name, arg: "3" });
    }
  });
});

describe("planReply", () => {
  it("demo:tools=N reads the working directory N times in one step, each call distinct", () => {
    const tools = calls(planReply(request("demo:tools=3")));
    expect(tools.map((c) => c.name)).toEqual(["read", "read", "read"]);
    expect(tools.map((c) => c.input)).toEqual([1, 2, 3].map((offset) => ({ filePath: "/home/dev/project", offset, limit: 1 })));
  });

  it("demo:big=N answers with one text delta of N million characters (16 by default)", () => {
    const sized = planReply(request("demo:big=2"));
    expect(sized).toHaveLength(1);
    expect(sized[0]!.type === "text" && sized[0]!.delta.length).toBe(2_000_000);
    expect(scriptText(planReply(request("demo:big"))).length).toBe(DEFAULT_BIG_MB * 1_000_000);
  });

  it("introduces the Demo model and lists every marker for an unknown prompt", () => {
    const text = scriptText(planReply(request("hello there")));
    expect(text).toMatch(/Demo model/);
    for (const name of Object.keys(SCENARIOS)) expect(text).toContain(`demo:${name}`);
  });

  it("answers opencode's title request with one short line, not the scenario", () => {
    const title = request("demo:task=2 do things");
    title.messages[0] = { role: "system", content: "You are a title generator. You output ONLY a thread title." };
    const script = planReply(title);
    expect(calls(script)).toHaveLength(0);
    expect(scriptText(script)).toBe("Demo: task scenario");
  });

  it("streams plain text word by word", () => {
    const script = planReply(request("demo:text"));
    expect(script.length).toBeGreaterThan(10);
    expect(script.every((b) => b.type === "text")).toBe(true);
    expect(ending(script)).toBe("text");
  });

  it("reasons before it answers", () => {
    const script = planReply(request("demo:reasoning"));
    const firstText = script.findIndex((b) => b.type === "text");
    expect(firstText).toBeGreaterThan(0);
    expect(script.slice(0, firstText).every((b) => b.type === "reasoning")).toBe(true);
    expect(scriptText(script, "reasoning").length).toBeGreaterThan(20);
  });

  it("reads a path relative to the working directory, then answers from the tool result", () => {
    const first = planReply(request("demo:read=src/a.ts"));
    expect(calls(first)).toEqual([{ type: "tool_call", name: "read", input: { filePath: "/home/dev/project/src/a.ts" } }]);
    const second = planReply(request("demo:read=src/a.ts", [{ calls: ["read"], results: ["1: export const a = 1;"] }]));
    expect(calls(second)).toHaveLength(0);
    expect(scriptText(second)).toContain("1: export const a = 1;");
  });

  it("reads the working directory itself without an argument", () => {
    expect(calls(planReply(request("demo:read")))[0]?.input).toEqual({ filePath: "/home/dev/project" });
  });

  it("runs bash, then quotes what it printed", () => {
    expect(calls(planReply(request("demo:bash")))[0]?.name).toBe("bash");
    const answer = planReply(request("demo:bash", [{ calls: ["bash"], results: ["hello from the Demo model\n"] }]));
    expect(scriptText(answer)).toContain("hello from the Demo model");
  });

  it("runs the one command the runner config makes opencode ask about", () => {
    expect(calls(planReply(request("demo:permission")))[0]?.input).toEqual({ command: PERMISSION_COMMAND });
  });

  it("delegates to a sub-agent whose prompt carries the child's own marker", () => {
    const [task] = calls(planReply(request("demo:task")));
    expect(task?.name).toBe("task");
    expect(task?.input.subagent_type).toBe("general");
    expect(parseMarker(String(task?.input.prompt))).toEqual({ scenario: "read", arg: undefined });
    // The child request starts from that prompt and reads.
    expect(calls(planReply(request(String(task?.input.prompt))))[0]?.name).toBe("read");
  });

  it("nests: demo:task=2 hands demo:task=1 to its child", () => {
    const [task] = calls(planReply(request("demo:task=2")));
    expect(parseMarker(String(task?.input.prompt))).toEqual({ scenario: "task", arg: "1" });
  });

  it("reports the sub-agent's result from the task output", () => {
    const output = '<task id="ses_1" state="completed">\n<task_result>\nchild says hi\n</task_result>\n</task>';
    const answer = planReply(request("demo:task", [{ calls: ["task"], results: [output] }]));
    expect(scriptText(answer)).toContain("child says hi");
    expect(scriptText(answer)).not.toContain("<task");
  });

  it("explains instead of calling a tool the agent was not given", () => {
    const script = planReply(request("demo:task", [], ["read", "bash"]));
    expect(calls(script)).toHaveLength(0);
    expect(scriptText(script)).toMatch(/not allowed/);
  });

  it("demo:write delegates to a sub-agent that writes the notes file in the working directory", () => {
    const [task] = calls(planReply(request("demo:write")));
    expect(task?.name).toBe("task");
    expect(parseMarker(String(task?.input.prompt))).toEqual({ scenario: "write", arg: DEMO_WRITE_FILE });
    const [write] = calls(planReply(request(String(task?.input.prompt))));
    expect(write).toMatchObject({ name: "write", input: { filePath: `/home/dev/project/${DEMO_WRITE_FILE}` } });
    expect(scriptText(planReply(request(String(task?.input.prompt), [{ calls: ["write"], results: ["Wrote file successfully."] }])))).toContain(
      `I wrote /home/dev/project/${DEMO_WRITE_FILE}.`,
    );
  });

  it("demo:edit reads the file, then replaces its content with the rest of the prompt", () => {
    const prompt = "demo:edit=shared.txt version A";
    expect(calls(planReply(request(prompt)))).toMatchObject([{ name: "read", input: { filePath: "/home/dev/project/shared.txt" } }]);
    const [write] = calls(planReply(request(prompt, [{ calls: ["read"], results: ["1: old"] }])));
    expect(write).toMatchObject({ name: "write", input: { filePath: "/home/dev/project/shared.txt", content: "version A\n" } });
    const done = planReply(request(prompt, [{ calls: ["read"], results: ["1: old"] }, { calls: ["write"], results: ["Wrote file successfully."] }]));
    expect(calls(done)).toHaveLength(0);
    expect(scriptText(done)).toContain("shared.txt");
  });

  it("spawns two sub-agents in one step, then reports both", () => {
    const tasks = calls(planReply(request("demo:parallel")));
    expect(tasks.map((t) => t.name)).toEqual(["task", "task"]);
    expect(new Set(tasks.map((t) => parseMarker(String(t.input.prompt))?.scenario))).toEqual(new Set(["bash", "read"]));
    const answer = planReply(request("demo:parallel", [{ calls: ["task", "task"], results: ["A ran", "B read"] }]));
    expect(scriptText(answer)).toMatch(/A ran[\s\S]*B read/);
  });

  it("streams the requested number of deltas for demo:long", () => {
    expect(planReply(request("demo:long"))).toHaveLength(DEFAULT_LONG_DELTAS);
    const script = planReply(request("demo:long=45"));
    expect(script).toHaveLength(45);
    expect(scriptText(script).trim().split(/\s+/).at(-1)).toBe("45");
  });

  it("fails after some text for demo:error and goes silent after some text for demo:hang", () => {
    for (const [prompt, end] of [["demo:error", "fail"], ["demo:hang", "hang"]] as const) {
      const script = planReply(request(prompt));
      expect(ending(script)).toBe(end);
      expect(scriptText(script).length).toBeGreaterThan(0);
    }
  });

  it("streams hostile markdown word by word for demo:html (an event-handler image and a javascript: link)", () => {
    const script = planReply(request("show me demo:html"));
    expect(script.every((b) => b.type === "text")).toBe(true);
    expect(script.length).toBeGreaterThan(5);
    const text = scriptText(script);
    expect(text).toBe(HOSTILE_MARKDOWN);
    expect(text).toContain("<img src=x onerror=alert(1)>");
    expect(text).toContain("[click me](javascript:alert(1))");
  });

  it("puts fake secrets in reasoning and a bash command, then answers with all of them in one turn", () => {
    const first = planReply(request("demo:secrets"));
    const reasoning = scriptText(first, "reasoning");
    for (const value of [FAKE_SECRETS.awsAccessKeyId, FAKE_SECRETS.githubToken, FAKE_SECRETS.slackBotToken]) {
      expect(reasoning).toContain(value);
    }
    expect(calls(first)).toEqual([{ type: "tool_call", name: "bash", input: { command: SECRETS_COMMAND } }]);
    for (const value of [FAKE_SECRETS.awsSecretAccessKey, FAKE_DATABASE_URL, "$OPENCODE_SERVER_PASSWORD"]) {
      expect(SECRETS_COMMAND).toContain(value);
    }

    const answer = planReply(request("demo:secrets", [{ calls: ["bash"], results: ["(output)"] }]));
    expect(calls(answer)).toHaveLength(0);
    const text = scriptText(answer);
    const { slackBotToken, postgresPassword, ...inAnswer } = FAKE_SECRETS;
    for (const value of [...Object.values(inAnswer), FAKE_DATABASE_URL]) expect(text).toContain(value);
    expect(text).not.toContain(slackBotToken);
    expect(text).toContain(postgresPassword);
  });

  it("runs only echo and printf, which print the key, the connection string and the runner's password", () => {
    expect(SECRETS_COMMAND.split(" && ").map((command) => command.split(" ")[0])).toEqual(["echo", "echo", "echo", "printf"]);
    const output = execFileSync("bash", ["--norc", "-c", SECRETS_COMMAND], {
      env: { ...process.env, OPENCODE_SERVER_PASSWORD: "runner-pw-123" },
      encoding: "utf8",
    });
    expect(output).toContain(`${FAKE_SECRETS.privateKey}\n`);
    expect(output).toContain(FAKE_DATABASE_URL);
    expect(output).toContain("runner password: runner-pw-123");
  });
});
