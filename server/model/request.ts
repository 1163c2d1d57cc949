import { z } from "zod";

// The subset of an OpenAI chat-completions request the scripted model reads. Loose objects:
// opencode sends more fields (max_tokens, tool_choice, stream_options, ...) that we ignore.
const textPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const content = z.union([z.string(), z.array(textPart), z.null()]).optional();

const toolCall = z.looseObject({
  id: z.string(),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const chatMessageSchema = z.looseObject({
  role: z.enum(["system", "developer", "user", "assistant", "tool"]),
  content,
  tool_calls: z.array(toolCall).optional(),
  tool_call_id: z.string().optional(),
});

export const chatRequestSchema = z.looseObject({
  model: z.string().default("demo"),
  messages: z.array(chatMessageSchema).min(1),
  stream: z.boolean().default(false),
  tools: z.array(z.looseObject({ function: z.looseObject({ name: z.string() }) })).optional(),
});

export type ChatMessage = z.infer<typeof chatMessageSchema>;
export type ChatRequest = z.infer<typeof chatRequestSchema>;

export function messageText(message: ChatMessage): string {
  if (typeof message.content === "string") return message.content;
  return (message.content ?? []).map((p) => p.text ?? "").join("");
}

function lastUserIndex(request: ChatRequest): number {
  return request.messages.findLastIndex((m) => m.role === "user");
}

/** The text of the prompt that started the current turn (for a sub-agent: the task prompt). */
export function latestUserText(request: ChatRequest): string {
  const i = lastUserIndex(request);
  return i < 0 ? "" : messageText(request.messages[i]!);
}

/**
 * How many model steps already happened in this turn. opencode replays the whole conversation
 * on every call, so this is what makes a stateless multi-step script possible.
 */
export function stepsTaken(request: ChatRequest): number {
  return request.messages.slice(lastUserIndex(request) + 1).filter((m) => m.role === "assistant").length;
}

/** Tool results of the current turn, oldest first. */
export function toolResults(request: ChatRequest): string[] {
  return request.messages
    .slice(lastUserIndex(request) + 1)
    .filter((m) => m.role === "tool")
    .map(messageText);
}

export function offersTool(request: ChatRequest, name: string): boolean {
  return (request.tools ?? []).some((t) => t.function.name === name);
}

function systemText(request: ChatRequest): string {
  return request.messages
    .filter((m) => m.role === "system" || m.role === "developer")
    .map(messageText)
    .join("\n");
}

// opencode's title agent has its own system prompt; it must get a short one-line answer.
export function isTitleRequest(request: ChatRequest): boolean {
  return /you are a title generator/i.test(systemText(request));
}

/** opencode states the session's directory in its system prompt (`Working directory: ...`). */
export function workingDirectory(request: ChatRequest): string | undefined {
  return /^\s*Working directory:\s*(.+?)\s*$/m.exec(systemText(request))?.[1];
}
