// A script is what one model call answers, as a list of beats in wire order. It says nothing
// about the wire format: encode.ts turns it into chat.completion chunks.
export type ToolCallBeat = { type: "tool_call"; name: string; input: Record<string, unknown> };

export type Beat =
  | { type: "reasoning"; delta: string }
  | { type: "text"; delta: string }
  | ToolCallBeat
  // Ends the response with an error after what came before has been sent.
  | { type: "fail"; message: string }
  // Ends nothing: the response stays open and silent until the client or the server gives up.
  | { type: "hang" }
  // Alone: the call is refused with this HTTP status before any answer, as an overloaded
  // provider does; `retryAfterS` goes out as `retry-after`.
  | { type: "refuse"; status: number; message: string; retryAfterS: number };

export type Script = Beat[];

// Word-sized deltas (each word keeps its trailing space) make streaming visible in a UI.
function words(text: string): string[] {
  return text.match(/\s*\S+\s*/g) ?? [];
}

export function say(text: string): Beat[] {
  return words(text).map((delta) => ({ type: "text", delta }));
}

export function think(text: string): Beat[] {
  return words(text).map((delta) => ({ type: "reasoning", delta }));
}

export function callTool(name: string, input: Record<string, unknown>): ToolCallBeat {
  return { type: "tool_call", name, input };
}

export function scriptText(script: Script, type: "text" | "reasoning" = "text"): string {
  return script.map((b) => (b.type === type ? b.delta : "")).join("");
}
