import { describe, expect, it } from "vitest";
import { capUtf8, toolSpanFields } from "./tool-span";

describe("toolSpanFields", () => {
  const call = {
    callId: "call_1",
    name: "bash",
    status: "completed" as const,
    input: { command: "ls" },
    output: "a\nb\n",
    title: "ls",
    startedAt: 1_000,
    endedAt: 1_250,
  };

  it("records timings, status and the whole output when it is small", () => {
    expect(toolSpanFields(call)).toMatchObject({
      tool: "bash",
      status: "completed",
      output: "a\nb\n",
      outputTruncated: false,
      outputBytes: 4,
      durationMs: 250,
    });
  });

  it("calls a call cut off by an abort interrupted, and a real failure an error", () => {
    expect(toolSpanFields({ ...call, status: "error", error: "Tool execution aborted" }).status).toBe("interrupted");
    expect(toolSpanFields({ ...call, status: "error", error: "ENOENT: no such file" }).status).toBe("error");
  });

  it("caps a large output and says so, keeping its full size", () => {
    const fields = toolSpanFields({ ...call, output: "x".repeat(100) }, 10);
    expect(fields).toMatchObject({ output: "x".repeat(10), outputTruncated: true, outputBytes: 100 });
  });

  it("leaves duration empty while the tool is still running", () => {
    expect(toolSpanFields({ ...call, status: "running", endedAt: undefined }).durationMs).toBeNull();
  });
});

describe("capUtf8", () => {
  it("never splits a multi-byte character", () => {
    const { text, truncated } = capUtf8("éééé", 3);
    expect(truncated).toBe(true);
    expect(text).toBe("é");
  });
});
