// A scenario is chosen by a marker such as `demo:reasoning` or `demo:long=200` anywhere in the
// prompt. Keep this list, the README table and the default reply in step: the default reply
// is built from it so a user who types anything learns what the Demo model can do.
export const SCENARIOS = {
  text: "stream a few sentences of plain text",
  reasoning: "think out loud (reasoning deltas), then answer",
  read: "call the read tool (the working directory, or `demo:read=<relative path>`), then answer from its output",
  bash: "call the bash tool (`echo`), then answer from its output",
  task: "spawn a general sub-agent that itself reads a file; `demo:task=2` nests one level deeper",
  parallel: "spawn two sub-agents in one step; `demo:parallel=2` has each spawn one of its own",
  write: "spawn a sub-agent that writes `notes/demo-write.txt`; `demo:write=<relative path>` writes that file itself",
  edit: "`demo:edit=<relative path> new text`: read that file, then replace its content with the rest of the prompt",
  permission: "run a bash command that opencode asks permission for, then answer",
  todo: "write a todo list (the todowrite tool), then answer",
  long: "stream many small deltas fast: `demo:long=<count>` (default 5000)",
  big: "stream one text delta of `demo:big=<MB>` megabytes (million characters; default 16): one runner event that large",
  tools: "call the read tool many times in one step: `demo:tools=<count>` (default 10), then answer (builds large trees)",
  error: "stream some text, then fail the response",
  hang: "stream some text, then go silent without finishing",
  retry: "refuse every call as overloaded (HTTP 503, retry after 2 s): the runner retries until the turn is aborted",
  html: "stream markdown with hostile HTML and a `javascript:` link (a UI must render it inert)",
  secrets: "realistic fake secrets in text, reasoning, tool input and output, for testing that share links redact them",
} as const;

export type ScenarioName = keyof typeof SCENARIOS;

export type Marker = { scenario: ScenarioName; arg?: string };

const MARKER = /\bdemo:([a-z]+)(?:=(\S+))?/gi;

/** The first known marker in the text; unknown `demo:xyz` words are ordinary text. */
export function parseMarker(text: string): Marker | undefined {
  for (const [, name, arg] of text.matchAll(MARKER)) {
    const scenario = name!.toLowerCase();
    if (scenario in SCENARIOS) return { scenario: scenario as ScenarioName, arg };
  }
  return undefined;
}

export function marker(scenario: ScenarioName, arg?: string | number): string {
  return arg === undefined ? `demo:${scenario}` : `demo:${scenario}=${arg}`;
}
