import type { ChatRequest } from "./request";
import { scriptText, type Script, type ToolCallBeat } from "./script";

// Wire shapes of the OpenAI chat-completions API, as @ai-sdk/openai-compatible parses them.
type Usage = {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  completion_tokens_details: { reasoning_tokens: number };
};

type ChunkDelta = {
  role?: "assistant";
  content?: string;
  reasoning_content?: string;
  tool_calls?: { index: number; id?: string; type?: "function"; function: { name?: string; arguments: string } }[];
};

export type CompletionChunk = {
  id: string;
  object: "chat.completion.chunk";
  created: number;
  model: string;
  choices: { index: 0; delta: ChunkDelta; finish_reason: "stop" | "tool_calls" | null }[];
  usage?: Usage;
};

export type Frame =
  | { kind: "chunk"; chunk: CompletionChunk }
  | { kind: "fail"; message: string }
  | { kind: "hang" };

export type EncodeOptions = { id: string; created: number; newCallId: () => string };

// Token counts are estimates (4 characters a token) so usage, cost and context bars move
// like they would with a real model.
const tokens = (chars: number) => Math.ceil(chars / 4);

export function usageFor(request: ChatRequest, script: Script): Usage {
  const reasoning = tokens(scriptText(script, "reasoning").length);
  const args = script.map((b) => (b.type === "tool_call" ? JSON.stringify(b.input).length : 0));
  const completion = tokens(scriptText(script).length + args.reduce((a, b) => a + b, 0)) + reasoning;
  const prompt = tokens(JSON.stringify(request.messages).length);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    completion_tokens_details: { reasoning_tokens: reasoning },
  };
}

function finishReason(script: Script): "stop" | "tool_calls" {
  return script.some((b) => b.type === "tool_call") ? "tool_calls" : "stop";
}

/** The frames of a streamed answer, in order. Ends with usage unless the script fails or hangs. */
export function* encodeStream(request: ChatRequest, script: Script, opts: EncodeOptions): Generator<Frame> {
  const chunk = (delta: ChunkDelta, finish: "stop" | "tool_calls" | null = null, usage?: Usage): Frame => ({
    kind: "chunk",
    chunk: {
      id: opts.id,
      object: "chat.completion.chunk",
      created: opts.created,
      model: request.model,
      choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
      ...(usage && { usage }),
    },
  });

  yield chunk({ role: "assistant", content: "" });
  let toolIndex = 0;
  for (const beat of script) {
    switch (beat.type) {
      case "reasoning":
        yield chunk({ reasoning_content: beat.delta });
        break;
      case "text":
        yield chunk({ content: beat.delta });
        break;
      case "tool_call": {
        // Name first, arguments after, like real providers: opencode shows the call as pending
        // while its input streams.
        const index = toolIndex++;
        const head = { index, id: opts.newCallId(), type: "function" as const };
        yield chunk({ tool_calls: [{ ...head, function: { name: beat.name, arguments: "" } }] });
        yield chunk({ tool_calls: [{ index, function: { arguments: JSON.stringify(beat.input) } }] });
        break;
      }
      case "fail":
      case "hang":
        yield beat.type === "fail" ? { kind: "fail", message: beat.message } : { kind: "hang" };
        return;
    }
  }
  yield chunk({}, finishReason(script));
  yield chunk({}, null, usageFor(request, script));
}

function toolCall(beat: ToolCallBeat, id: string) {
  return { id, type: "function" as const, function: { name: beat.name, arguments: JSON.stringify(beat.input) } };
}

/** The non-streamed answer; only meaningful for scripts that neither fail nor hang. */
export function encodeCompletion(request: ChatRequest, script: Script, opts: EncodeOptions) {
  const calls = script.filter((b): b is ToolCallBeat => b.type === "tool_call");
  const reasoning = scriptText(script, "reasoning");
  return {
    id: opts.id,
    object: "chat.completion" as const,
    created: opts.created,
    model: request.model,
    choices: [
      {
        index: 0,
        message: {
          role: "assistant" as const,
          content: scriptText(script),
          ...(reasoning && { reasoning_content: reasoning }),
          ...(calls.length > 0 && { tool_calls: calls.map((c) => toolCall(c, opts.newCallId())) }),
        },
        finish_reason: finishReason(script),
      },
    ],
    usage: usageFor(request, script),
  };
}
