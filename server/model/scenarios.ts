import path from "node:path";
import { SCENARIOS, marker, parseMarker, type Marker, type ScenarioName } from "./markers";
import {
  isTitleRequest,
  latestUserText,
  offersTool,
  stepsTaken,
  toolResults,
  workingDirectory,
  type ChatRequest,
} from "./request";
import { FAKE_DATABASE_URL, FAKE_SECRETS } from "./fake-secrets";
import { callTool, say, think, type Script } from "./script";

/** What `demo:html` streams: markdown carrying an event-handler image and a script link. */
export const HOSTILE_MARKDOWN =
  "Some **markdown** with hostile parts. An image: <img src=x onerror=alert(1)> and a link: " +
  "[click me](javascript:alert(1)). Both must stay inert.";

/** The bash command the permission scenario runs; the runner config makes opencode ask for it. */
export const PERMISSION_COMMAND = "echo flightdeck-permission-granted";

/**
 * The bash command `demo:secrets` runs: fake secrets in its input, and in its output the private
 * key, the connection string and the runner's own password (opencode's environment holds it).
 * Only echo and printf, with every fake value quoted, so it is safe to run anywhere.
 */
export const SECRETS_COMMAND = [
  `echo "AWS_SECRET_ACCESS_KEY=${FAKE_SECRETS.awsSecretAccessKey}"`,
  `echo "DATABASE_URL=${FAKE_DATABASE_URL}"`,
  'echo "runner password: $OPENCODE_SERVER_PASSWORD"',
  `printf '%s\\n' ${FAKE_SECRETS.privateKey
    .split("\n")
    .map((line) => `'${line}'`)
    .join(" ")}`,
].join(" && ");

/** The todo list `demo:todo` writes. */
export const DEMO_TODOS = [
  { content: "Read the code", status: "completed", priority: "high" },
  { content: "Write the fix", status: "in_progress", priority: "medium" },
];

export const DEFAULT_LONG_DELTAS = 5000;
const MAX_LONG_DELTAS = 1_000_000;
export const DEFAULT_BIG_MB = 16;
const MAX_BIG_MB = 64;
const DEFAULT_TOOL_CALLS = 10;
const MAX_TOOL_CALLS = 5_000;
// The runner config lets sub-agents nest this deep (SUBAGENT_DEPTH in server/runtime).
const MAX_TASK_DEPTH = 3;
/** The file a `demo:write` sub-agent creates, relative to the working directory. */
export const DEMO_WRITE_FILE = "notes/demo-write.txt";

type Turn = { request: ChatRequest; marker: Marker; step: number; results: string[] };

/** Decides the whole answer to one model call from the request alone (no server state). */
export function planReply(request: ChatRequest): Script {
  const prompt = latestUserText(request);
  const found = parseMarker(prompt);
  if (isTitleRequest(request)) return say(titleFor(prompt, found));
  if (!found) return defaultReply();
  const script = SCRIPTS[found.scenario]({
    request,
    marker: found,
    step: stepsTaken(request),
    results: toolResults(request),
  });
  return withOnlyOfferedTools(request, script);
}

function titleFor(prompt: string, found: Marker | undefined): string {
  if (found) return `Demo: ${found.scenario} scenario`;
  const head = prompt.trim().split(/\s+/).slice(0, 6).join(" ");
  return head || "Demo conversation";
}

function defaultReply(): Script {
  const list = Object.entries(SCENARIOS)
    .map(([name, what]) => `- \`${marker(name as ScenarioName)}\`: ${what}`)
    .join("\n");
  return say(
    "Hi! I am the Demo model, a scripted stand-in that ships with Flightdeck so you can try it " +
      "without an API key. I do not understand prompts; put one of these markers in your prompt " +
      `to see what a real agent run looks like:\n${list}\n`,
  );
}

// A sub-agent may not be allowed a tool (opencode limits nesting depth by taking `task` away).
// Calling a tool the request did not offer would fail the turn, so explain instead.
function withOnlyOfferedTools(request: ChatRequest, script: Script): Script {
  const missing = script.find((b) => b.type === "tool_call" && !offersTool(request, b.name));
  if (!missing || missing.type !== "tool_call") return script;
  return say(`I would call the \`${missing.name}\` tool here, but this agent is not allowed to use it.`);
}

/** First lines of a tool result, short enough to quote in an answer. */
function quote(result: string | undefined, maxChars = 240): string {
  const text = (result ?? "").trim();
  const taskResult = /<task_result>\s*([\s\S]*?)\s*<\/task_result>/.exec(text)?.[1];
  const body = (taskResult ?? text).split("\n").slice(0, 6).join("\n");
  return body.length > maxChars ? `${body.slice(0, maxChars)}…` : body;
}

function count(arg: string | undefined, fallback: number, max: number): number {
  const n = Number.parseInt(arg ?? "", 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, max) : fallback;
}

/** What `demo:edit` writes: the prompt without its marker. */
function editContent({ request }: Pick<Turn, "request">): string {
  return latestUserText(request).replace(/\bdemo:edit(=\S+)?/i, "").trim() || "Edited by the Demo model.";
}

function targetPath({ request, marker: m }: Turn): string {
  const cwd = workingDirectory(request) ?? "/";
  return m.arg ? path.posix.resolve(cwd, m.arg) : cwd;
}

const SCRIPTS: Record<ScenarioName, (turn: Turn) => Script> = {
  text: () =>
    say(
      "This is the Demo model streaming plain text. Every word arrives as its own delta, so you " +
        "can watch the answer grow live. Nothing here came from a real language model.",
    ),

  reasoning: () => [
    ...think(
      "The prompt asks for the reasoning scenario. I will think in a few small steps first, " +
        "so the reasoning shows up before the answer.",
    ),
    ...say("Done thinking. Reasoning streams first, then the answer text."),
  ],

  read: (turn) =>
    turn.step === 0
      ? [...say("Let me look at that."), callTool("read", { filePath: targetPath(turn) })]
      : say(`I read ${targetPath(turn)}. It starts with:\n${quote(turn.results[0])}`),

  bash: (turn) =>
    turn.step === 0
      ? [...say("Running a command."), callTool("bash", { command: "echo hello from the Demo model" })]
      : say(`The command printed: ${quote(turn.results[0])}`),

  permission: (turn) =>
    turn.step === 0
      ? [...say("This command needs your approval."), callTool("bash", { command: PERMISSION_COMMAND })]
      : say(`Thanks. The approved command printed: ${quote(turn.results[0])}`),

  todo: (turn) =>
    turn.step === 0
      ? [...say("Planning the work."), callTool("todowrite", { todos: DEMO_TODOS })]
      : say(`The plan has ${DEMO_TODOS.length} items.`),

  task: (turn) => {
    const depth = count(turn.marker.arg, 1, MAX_TASK_DEPTH);
    if (turn.step > 0) return say(`The sub-agent finished. It reported:\n${quote(turn.results[0])}`);
    const child =
      depth > 1
        ? {
            description: "Spawn a nested sub-agent",
            prompt: `${marker("task", depth - 1)} Spawn a sub-agent of your own and report what it found.`,
          }
        : { description: "Read the working directory", prompt: `${marker("read")} Read the working directory and report.` };
    return [...say("I will hand this to a sub-agent."), callTool("task", { ...child, subagent_type: "general" })];
  },

  // `demo:parallel=2`: each of the two spawns a sub-agent of its own (depth 2).
  parallel: (turn) =>
    turn.step === 0
      ? [
          ...say("Two sub-agents, both at once."),
          callTool("task", {
            description: "Run a command",
            prompt: `${turn.marker.arg === "2" ? marker("task") : marker("bash")} Run a command and report its output.`,
            subagent_type: "general",
          }),
          callTool("task", {
            description: "Read the working directory",
            prompt: `${turn.marker.arg === "2" ? marker("task") : marker("read")} Read the working directory and report.`,
            subagent_type: "general",
          }),
        ]
      : say(
          `Both sub-agents finished.\nFirst: ${quote(turn.results[0], 120)}\nSecond: ${quote(turn.results[1], 120)}`,
        ),

  // The parent delegates and the child writes, so a revert of the parent's turn has a file
  // change that only the sub-agent's own revert restores.
  write: (turn) => {
    if (turn.marker.arg === undefined) {
      return turn.step === 0
        ? [
            ...say("A sub-agent will write the notes."),
            callTool("task", {
              description: "Write the notes",
              prompt: `${marker("write", DEMO_WRITE_FILE)} Write the notes file and report.`,
              subagent_type: "general",
            }),
          ]
        : say(`The sub-agent finished. It reported:\n${quote(turn.results[0])}`);
    }
    const filePath = targetPath(turn);
    return turn.step === 0
      ? [...say("Writing the file."), callTool("write", { filePath, content: "Notes written by the Demo model.\n" })]
      : say(`I wrote ${filePath}.`);
  },

  // Reads the file first: opencode refuses to overwrite a file the session has not read.
  edit: (turn) => {
    const filePath = targetPath(turn);
    if (turn.step === 0) return [...say("Reading the file first."), callTool("read", { filePath })];
    if (turn.step === 1) return [...say("Replacing its content."), callTool("write", { filePath, content: `${editContent(turn)}\n` })];
    return say(`I replaced the content of ${filePath}.`);
  },

  long: (turn) => {
    const n = count(turn.marker.arg, DEFAULT_LONG_DELTAS, MAX_LONG_DELTAS);
    return Array.from({ length: n }, (_, i) => ({
      type: "text" as const,
      delta: `${i + 1}${(i + 1) % 20 === 0 ? "\n" : " "}`,
    }));
  },

  // One delta, so opencode's part update carries the whole text in a single event. Decimal
  // megabytes: 16 of them with the event's envelope stay under the app's 16 MiB event limit.
  big: (turn) => {
    const line = "The Demo model sends one very large answer in a single piece.\n";
    const chars = count(turn.marker.arg, DEFAULT_BIG_MB, MAX_BIG_MB) * 1_000_000;
    return [{ type: "text", delta: line.repeat(Math.ceil(chars / line.length)).slice(0, chars) }];
  },

  tools: (turn) => {
    const n = count(turn.marker.arg, DEFAULT_TOOL_CALLS, MAX_TOOL_CALLS);
    if (turn.step > 0) return say(`Read ${turn.results.length} times.`);
    // The working directory (the marker's argument is the count, not a path). Distinct inputs:
    // opencode asks before repeating an identical call (its doom-loop guard).
    const cwd = workingDirectory(turn.request) ?? "/";
    return [...say("Reading repeatedly."), ...Array.from({ length: n }, (_, i) => callTool("read", { filePath: cwd, offset: i + 1, limit: 1 }))];
  },

  error: () => [
    ...say("Starting an answer that will not finish..."),
    { type: "fail", message: "The Demo model failed on purpose (demo:error)." },
  ],

  hang: () => [...say("Starting an answer, then going silent..."), { type: "hang" }],

  retry: () => [{ type: "refuse", status: 503, message: "The Demo model is overloaded (demo:retry).", retryAfterS: 2 }],

  html: () => say(HOSTILE_MARKDOWN),

  secrets: (turn) =>
    turn.step === 0
      ? [
          ...think(
            `The environment has AWS_ACCESS_KEY_ID=${FAKE_SECRETS.awsAccessKeyId} and ` +
              `GITHUB_TOKEN=${FAKE_SECRETS.githubToken}, and the Slack bot posts with ` +
              `${FAKE_SECRETS.slackBotToken}. I will print the rest.`,
          ),
          ...say("Printing the credentials this environment exposes."),
          callTool("bash", { command: SECRETS_COMMAND }),
        ]
      : say(
          "Here is everything I found (all fake, for testing redaction):\n" +
            `- AWS: AWS_ACCESS_KEY_ID=${FAKE_SECRETS.awsAccessKeyId} ` +
            `AWS_SECRET_ACCESS_KEY=${FAKE_SECRETS.awsSecretAccessKey}\n` +
            `- GitHub token: ${FAKE_SECRETS.githubToken}\n` +
            `- Anthropic key: ${FAKE_SECRETS.anthropicApiKey}\n` +
            `- OpenAI key: ${FAKE_SECRETS.openaiApiKey}\n` +
            `- Database: ${FAKE_DATABASE_URL}\n` +
            `- Deploy key:\n\n\`\`\`\n${FAKE_SECRETS.privateKey}\n\`\`\`\n`,
        ),
};
