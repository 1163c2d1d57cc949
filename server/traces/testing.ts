// Test and bench fixture of traces: a large, realistic session tree (turns, model steps, tool
// calls, parallel sub-agents nested to depth 2), generated once in opencode's own shapes and
// written two ways that give the same archive:
//  - `seedTraceTree(db, ...)`: straight into the database with a few big INSERTs (one per table
//    and 5,000 rows), row by row what the archive sync writes for that tree (a 10,000-span tree
//    in about 4 s on PGlite);
//  - `writeTraceTreeOpencodeDb(file, tree)`: an opencode.db holding it, for a test that has to
//    go through the app (the e2e server's embedded database is its own: upload the file to
//    /api/archive/import, and the real import writes it).
// server/traces/testing.test.ts checks that both give the same archive.
import { randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { Tx } from "~/server/db";
import type { Prisma, PrismaClient } from "~/server/generated/prisma/client";
import type { MessageRow, PartRow, SessionRow } from "~/server/archive/sqlite-source";
import type { SourceSession, SourceTree } from "~/server/archive/source";
import { encodeValue } from "~/server/store/lossless-text";
import { messageFields } from "~/server/store/message-fields";
import { partFields, spanFields } from "~/server/store/part-fields";
import { prng as fixturePrng } from "~/server/stream/fixtures/prng";
import { priceMessage } from "~/server/traces/prices";
import { boundaryOf } from "~/server/stream/session-boundary";
import { toMessageInfo, toPartInfo } from "~/server/stream/to-entities";
import type { RawMessageInfo, RawPart } from "~/server/stream/raw-event";

export type TraceTreeOptions = {
  /** Spans wanted: turns + model steps (assistant messages) + tool calls (sub-agent calls included). */
  spans: number;
  /** Same seed, same tree (ids and times included, given the same `startMs`). Default 1. */
  seed?: number;
  /** When the first prompt was sent (runner clock, epoch ms). Default: the tree ends an hour or more ago. */
  startMs?: number;
  /** The root session's title. */
  title?: string;
  directory?: string;
  /** Every how many root turns one delegates to parallel sub-agents (the first always does). Default 6. */
  subagentEvery?: number;
};

type Tokens = { input: number; output: number; reasoning: number; cacheRead: number; cacheWrite: number };
type RawEntry = { info: RawMessageInfo & Record<string, unknown>; parts: (RawPart & Record<string, unknown>)[] };

/** One session of the generated tree, in the shapes `GET /session/:id` and `/message` return. */
export type GeneratedSession = {
  id: string;
  parentId: string | null;
  /** The parent's task call that spawned it. */
  callId: string | null;
  depth: number;
  title: string;
  agent: string;
  model: { providerID: string; id: string };
  createdMs: number;
  updatedMs: number;
  messages: RawEntry[];
};

export type TraceTreeCounts = {
  spans: number;
  sessions: number;
  /** Sub-agent sessions (all but the root); `depth` is the deepest one's (root 0). */
  subagents: number;
  depth: number;
  turns: number;
  /** Assistant messages. */
  steps: number;
  /** Tool calls, sub-agent (task) calls included; `errors` of them failed. */
  toolCalls: number;
  taskCalls: number;
  errors: number;
  messages: number;
  parts: number;
};

export type TraceTree = {
  rootOpencodeId: string;
  directory: string;
  /** Parents before children. */
  sessions: GeneratedSession[];
  counts: TraceTreeCounts;
  startMs: number;
  endMs: number;
  /** The root's last turn (10 spans when the tree has more than 12): what a reader finds at the end. */
  last: { turnIndex: number; prompt: string; toolTitles: string[]; answer: string };
};

const MODELS = {
  build: { providerID: "anthropic", id: "claude-sonnet-4-5" },
  general: { providerID: "anthropic", id: "claude-haiku-4-5" },
} as const;
// $ per token: input, output, cache read, cache write (what the provider would report as cost).
const PRICES = {
  "claude-sonnet-4-5": [3e-6, 15e-6, 0.3e-6, 3.75e-6],
  "claude-haiku-4-5": [1e-6, 5e-6, 0.1e-6, 1.25e-6],
} as const;
const VERSION = "1.18.33";

// Seeded (server/stream/fixtures/prng.ts): a seeded tree is the same tree every time.
function prng(seed: number) {
  const random = fixturePrng(seed);
  return { ...random, int: (min: number, max: number) => min + random.int(max - min + 1) };
}
type Rng = ReturnType<typeof prng>;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/**
 * opencode's ids: a prefix, 12 hex digits of time * 4096 + a counter (ascending: messages,
 * parts; bitwise inverted for sessions, so the newest sorts first), 14 random base62 characters.
 */
function ids(rng: Rng) {
  let lastMs = 0;
  let counter = 0;
  const random = () => Array.from({ length: 14 }, () => BASE62[Math.floor(rng.next() * 62)]).join("");
  const make = (prefix: string, ms: number, descending: boolean) => {
    if (ms !== lastMs) {
      lastMs = ms;
      counter = 0;
    }
    counter++;
    let value = BigInt(ms) * 0x1000n + BigInt(counter);
    if (descending) value = ~value & 0xffffffffffffn;
    return `${prefix}_${value.toString(16).padStart(12, "0")}${random()}`;
  };
  return {
    session: (ms: number) => make("ses", ms, true),
    message: (ms: number) => make("msg", ms, false),
    part: (ms: number) => make("prt", ms, false),
    call: () => `call_${Array.from({ length: 24 }, () => "0123456789abcdef"[Math.floor(rng.next() * 16)]).join("")}`,
  };
}

const FILES = [
  "src/server/router.ts", "src/server/auth.ts", "src/server/db.ts", "src/components/Table.tsx", "src/components/Chart.tsx",
  "src/lib/format.ts", "src/lib/dates.ts", "src/pages/index.tsx", "src/pages/settings.tsx", "package.json", "README.md",
  "src/hooks/useSession.ts", "src/api/client.ts", "src/api/schema.ts", "test/router.test.ts", "test/format.test.ts",
];
const PATTERNS = ["useSession", "TODO", "export function", "createContext", "throw new Error", "fetchJson", "zod"];
const COMMANDS = [
  ["npm test -- --run", "Run the tests"],
  ["npx tsc --noEmit", "Type-check the project"],
  ["git status --short", "Show changed files"],
  ["ls src/components", "List the components"],
  ["npm run lint", "Lint the sources"],
  ["git diff --stat", "Summarize the diff"],
] as const;
const TASKS = [
  "Review the auth flow", "Find unused exports", "Check the date helpers", "Audit error handling",
  "Map the API routes", "Look for flaky tests", "Summarize the components", "Trace the settings page",
];

type ToolPlan = { tool: string; input: Record<string, unknown>; title: string; output?: string; error?: string; metadata: Record<string, unknown>; ms: number };

function toolPlan(rng: Rng, directory: string): ToolPlan {
  const file = rng.pick(FILES);
  const path = `${directory}/${file}`;
  const fail = rng.chance(0.06);
  switch (rng.pick(["read", "read", "read", "grep", "grep", "bash", "bash", "edit"] as const)) {
    case "read":
      return fail
        ? { tool: "read", input: { filePath: path }, title: file, error: `Error: File not found: ${path}`, metadata: {}, ms: rng.int(5, 40) }
        : {
            tool: "read",
            input: { filePath: path },
            title: file,
            output: `<path>${path}</path>\n<type>file</type>\n<content>\n00001| import { z } from "zod";\n00002| \n00003| export function ${file.replace(/\W/g, "_")}() {\n00004|   return null;\n00005| }\n</content>`,
            metadata: { preview: 'import { z } from "zod";', truncated: false },
            ms: rng.int(8, 180),
          };
    case "grep": {
      const pattern = rng.pick(PATTERNS);
      const matches = rng.int(0, 12);
      return {
        tool: "grep",
        input: { pattern, path: directory },
        title: pattern,
        output: matches ? `Found ${matches} matches\n${Array.from({ length: Math.min(matches, 4) }, (_, i) => `${directory}/${FILES[(i * 5) % FILES.length]}:\n  Line ${i * 7 + 3}: ${pattern}`).join("\n")}` : "No files found",
        metadata: { matches, truncated: false },
        ms: rng.int(20, 600),
      };
    }
    case "bash": {
      const [command, description] = rng.pick(COMMANDS);
      const ms = rng.chance(0.2) ? rng.int(3_000, 25_000) : rng.int(150, 2_500);
      return fail
        ? { tool: "bash", input: { command, description }, title: description, error: `Error: Command failed with exit code 1: ${command}`, metadata: { exit: 1, description }, ms }
        : { tool: "bash", input: { command, description }, title: description, output: `$ ${command}\nok`, metadata: { output: "ok", exit: 0, description, truncated: false }, ms };
    }
    case "edit":
      return fail
        ? { tool: "edit", input: { filePath: path, oldString: "return null;", newString: "return undefined;" }, title: file, error: "Error: oldString not found in content", metadata: {}, ms: rng.int(10, 60) }
        : {
            tool: "edit",
            input: { filePath: path, oldString: "return null;", newString: "return undefined;" },
            title: file,
            output: "Edit applied successfully.",
            metadata: { diff: `Index: ${path}\n-  return null;\n+  return undefined;`, truncated: false },
            ms: rng.int(15, 300),
          };
  }
}

/**
 * Generates the tree in opencode's shapes. Root turns alternate between plain ones (a few steps
 * of parallel tool calls, then an answer) and ones that delegate to 2-3 sub-agents at once,
 * some of which delegate to two more (depth 2); the last turns are sized so that the total
 * number of spans is exactly `spans`.
 */
export function traceTree(options: TraceTreeOptions): TraceTree {
  const rng = prng(options.seed ?? 1);
  const id = ids(rng);
  const directory = options.directory ?? "/work/webapp";
  const subagentEvery = options.subagentEvery ?? 6;
  // Under 2.5 s of run time per span (turns of ~40 spans take ~30 s, then the person reads for
  // about as long): by default the tree ends an hour or more ago, never in the future.
  let clock = Math.round(options.startMs ?? Date.now() - 3_600_000 - options.spans * 2_500);
  const sessions: GeneratedSession[] = [];
  const counts: TraceTreeCounts = { spans: 0, sessions: 0, subagents: 0, depth: 0, turns: 0, steps: 0, toolCalls: 0, taskCalls: 0, errors: 0, messages: 0, parts: 0 };
  const wanted = Math.max(0, Math.floor(options.spans));

  const newSession = (parent: GeneratedSession | null, callId: string | null, title: string, at: number): GeneratedSession => {
    const agent = parent ? "general" : "build";
    const session: GeneratedSession = {
      id: id.session(at),
      parentId: parent?.id ?? null,
      callId,
      depth: parent ? parent.depth + 1 : 0,
      title,
      agent,
      model: MODELS[agent],
      createdMs: at,
      updatedMs: at,
      messages: [],
    };
    sessions.push(session);
    counts.sessions++;
    if (parent) counts.subagents++;
    counts.depth = Math.max(counts.depth, session.depth);
    return session;
  };

  const userMessage = (session: GeneratedSession, at: number, text: string): RawEntry => {
    const messageId = id.message(at);
    const entry: RawEntry = {
      info: {
        id: messageId,
        sessionID: session.id,
        role: "user",
        time: { created: at },
        agent: session.agent,
        model: { providerID: session.model.providerID, modelID: session.model.id },
        summary: { diffs: [] },
      },
      parts: [{ id: id.part(at + 1), sessionID: session.id, messageID: messageId, type: "text", text }],
    };
    session.messages.push(entry);
    counts.turns++;
    counts.spans++;
    counts.messages++;
    counts.parts++;
    return entry;
  };

  /**
   * One model step (assistant message) at `at`: optional reasoning and text, then `tools`
   * called in parallel (a task call runs `delegate` for its child and lasts until it is done).
   * Returns when the step completed.
   */
  const step = (
    session: GeneratedSession,
    user: RawEntry,
    at: number,
    index: number,
    tools: ({ kind: "tool" } | { kind: "task"; run: (callId: string, start: number, description: string) => { childId: string; endMs: number; answer: string } })[],
    answer?: string,
  ): number => {
    const messageId = id.message(at);
    const parts: RawEntry["parts"] = [];
    const part = (ms: number, fields: Record<string, unknown>) =>
      parts.push({ id: id.part(ms), sessionID: session.id, messageID: messageId, ...fields } as RawEntry["parts"][number]);
    let t = at + rng.int(300, 2_500); // time to first token
    part(t, { type: "step-start" });
    if (rng.chance(0.3)) {
      const end = t + rng.int(200, 3_000);
      part(t + 1, { type: "reasoning", text: "Let me think about which files matter here.", time: { start: t + 1, end } });
      t = end;
    }
    if (answer !== undefined || rng.chance(0.35)) {
      const end = t + rng.int(100, 2_000);
      part(t + 1, { type: "text", text: answer ?? "Let me look at the relevant files.", time: { start: t + 1, end } });
      t = end;
    }
    let done = t;
    for (const call of tools) {
      const start = t + rng.int(2, 40);
      t = start;
      const callId = id.call();
      counts.toolCalls++;
      counts.spans++;
      if (call.kind === "task") {
        const description = rng.pick(TASKS);
        const prompt = `${description}. Report what you find, with file paths.`;
        counts.taskCalls++;
        const child = call.run(callId, start, description);
        const end = child.endMs + rng.int(10, 60);
        part(start, {
          type: "tool",
          tool: "task",
          callID: callId,
          state: {
            status: "completed",
            input: { description, prompt, subagent_type: "general" },
            output: `<task id="${child.childId}" state="completed">\n<task_result>\n${child.answer}\n</task_result>\n</task>`,
            metadata: { parentSessionId: session.id, sessionId: child.childId, model: { modelID: MODELS.general.id, providerID: MODELS.general.providerID }, truncated: false },
            title: description,
            time: { start, end },
          },
        });
        done = Math.max(done, end);
        continue;
      }
      const plan = toolPlan(rng, directory);
      const end = start + plan.ms;
      if (plan.error) counts.errors++;
      part(start, {
        type: "tool",
        tool: plan.tool,
        callID: callId,
        state: plan.error
          ? { status: "error", input: plan.input, error: plan.error, metadata: plan.metadata, time: { start, end } }
          : { status: "completed", input: plan.input, output: plan.output, metadata: plan.metadata, title: plan.title, time: { start, end } },
      });
      done = Math.max(done, end);
    }
    const finishAt = done + rng.int(20, 400);
    // Context grows with the turn; later steps read most of it from the cache.
    const tokens: Tokens = {
      input: rng.int(400, 3_000) + (index === 0 ? rng.int(8_000, 14_000) : 0),
      output: rng.int(40, 900),
      reasoning: rng.chance(0.3) ? rng.int(50, 600) : 0,
      cacheRead: index === 0 ? 0 : rng.int(8_000, 40_000),
      cacheWrite: rng.int(0, 2_500),
    };
    // The build agent's provider reports a cost; the sub-agents' model config has no price, so
    // opencode reports 0 and Flightdeck prices those steps from its own table.
    const [pIn, pOut, pRead, pWrite] = PRICES[session.model.id as keyof typeof PRICES];
    const cost = session.agent === "build" ? Math.round(((tokens.input + tokens.reasoning) * pIn + tokens.output * pOut + tokens.cacheRead * pRead + tokens.cacheWrite * pWrite) * 1e6) / 1e6 : 0;
    const rawTokens = { total: tokens.input + tokens.output + tokens.reasoning + tokens.cacheRead + tokens.cacheWrite, input: tokens.input, output: tokens.output, reasoning: tokens.reasoning, cache: { read: tokens.cacheRead, write: tokens.cacheWrite } };
    const finish = tools.length > 0 ? "tool-calls" : "stop";
    part(finishAt, { type: "step-finish", reason: finish, tokens: rawTokens, cost });
    const completed = finishAt + rng.int(2, 20);
    session.messages.push({
      info: {
        id: messageId,
        sessionID: session.id,
        role: "assistant",
        parentID: user.info.id,
        mode: session.agent,
        agent: session.agent,
        path: { cwd: directory, root: directory },
        cost,
        tokens: rawTokens,
        modelID: session.model.id,
        providerID: session.model.providerID,
        time: { created: at, completed },
        finish,
      },
      parts,
    });
    counts.steps++;
    counts.spans++;
    counts.messages++;
    counts.parts += parts.length;
    session.updatedMs = Math.max(session.updatedMs, completed);
    return completed;
  };

  const tools = (n: number) => Array.from({ length: n }, () => ({ kind: "tool" as const }));

  /** A turn of exactly `size` spans (1: a prompt without answer yet stored; 2: an answer alone). */
  const sizedTurn = (session: GeneratedSession, at: number, size: number, prompt: string, answer: string): number => {
    const user = userMessage(session, at, prompt);
    let t = at + rng.int(30, 120);
    let left = size - 1;
    let index = 0;
    while (left > 1) {
      // A step of 1-8 parallel calls, keeping one span for the answering step.
      const n = Math.min(rng.int(1, 8), left - 2);
      if (n < 1) break;
      t = step(session, user, t, index++, tools(n)) + rng.int(50, 400);
      left -= 1 + n;
    }
    while (left > 0) {
      t = step(session, user, t, index++, [], left === 1 ? answer : undefined) + rng.int(50, 400);
      left--;
    }
    return t;
  };

  /** A sub-agent session's only turn; at depth 1 one of its steps delegates to two more at once. */
  const subagent = (parent: GeneratedSession, callId: string, start: number, description: string) => {
    const child = newSession(parent, callId, `${description} (@general subagent)`, start + rng.int(5, 20));
    const at = child.createdMs + rng.int(5, 15);
    const user = userMessage(child, at, `${description}. Report what you find, with file paths.`);
    let t = at + rng.int(30, 120);
    const steps = rng.int(2, 4);
    const delegateAt = child.depth < 2 && rng.chance(0.7) ? rng.int(0, steps - 1) : -1;
    for (let i = 0; i < steps; i++) {
      const calls = i === delegateAt ? [...tools(rng.int(0, 2)), task(child), task(child)] : tools(rng.int(1, 5));
      t = step(child, user, t, i, calls) + rng.int(50, 300);
    }
    const answer = `${description}: done. The relevant code is in src/server and src/lib.`;
    t = step(child, user, t, steps, [], answer);
    child.updatedMs = t;
    return { childId: child.id, endMs: t, answer };
  };
  const task = (parent: GeneratedSession) => ({
    kind: "task" as const,
    run: (callId: string, start: number, description: string) => subagent(parent, callId, start, description),
  });

  const startAt = clock;
  const root = newSession(null, null, options.title ?? "Refactor the settings page", startAt);
  let turnIndex = 0;
  let last: TraceTree["last"] = { turnIndex: 0, prompt: "", toolTitles: [], answer: "" };
  // Largest span count a delegating turn can reach: a turn, 4 steps, 6 calls and 3 tasks at the
  // root; 3 children of a turn, up to 5 steps and 20 calls, each with 2 grandchildren as large.
  const DELEGATING_MAX = 1 + 4 + 6 + 3 + 3 * 3 * (1 + 5 + 20);
  clock += 1_000;
  while (counts.spans < wanted) {
    turnIndex++;
    const left = wanted - counts.spans;
    const prompt = `Task ${turnIndex}: ${rng.pick(["fix the failing test", "tidy up the helpers", "add a loading state", "rename the settings fields", "explain the router"])}.`;
    const answer = `Done with task ${turnIndex}. I changed ${rng.int(1, 4)} files and the tests pass.`;
    const delegates = (turnIndex === 1 || turnIndex % subagentEvery === 0) && left > DELEGATING_MAX + 3;
    if (delegates) {
      const user = userMessage(root, clock, prompt);
      let t = clock + rng.int(30, 120);
      t = step(root, user, t, 0, tools(rng.int(1, 4))) + rng.int(50, 300);
      t = step(root, user, t, 1, [task(root), task(root), ...(rng.chance(0.5) ? [task(root)] : [])]) + rng.int(50, 300);
      t = step(root, user, t, 2, tools(rng.int(1, 4))) + rng.int(50, 300);
      clock = step(root, user, t, 3, [], answer);
    } else {
      // Plain turns of 10-40 spans, then a last one of 10 (on screen at once at the end of
      // the waterfall), each sized so that the total comes out exact.
      const size = left <= 12 ? left : left <= 52 ? left - 10 : rng.int(10, 40);
      clock = sizedTurn(root, clock, size, prompt, answer);
    }
    last = { turnIndex, prompt, toolTitles: [], answer };
    clock += rng.int(5_000, 60_000); // the person reads, then prompts again
  }
  root.updatedMs = Math.max(root.updatedMs, clock);
  const lastTurn = root.messages.filter((m) => m.info.parentID === root.messages.filter((u) => u.info.role === "user").at(-1)?.info.id);
  last.toolTitles = lastTurn.flatMap((m) => m.parts.flatMap((p) => (p.type === "tool" ? [p.state?.title ?? p.tool ?? ""] : [])));
  const endMs = Math.max(...sessions.map((s) => s.updatedMs));
  return { rootOpencodeId: root.id, directory, sessions, counts, startMs: startAt, endMs, last };
}

const sumTokens = (session: GeneratedSession) => {
  const tokens = { input: 0, output: 0, reasoning: 0, cache: { read: 0, write: 0 } };
  let cost = 0;
  for (const { info } of session.messages) {
    const t = info.tokens;
    if (!t) continue;
    tokens.input += t.input;
    tokens.output += t.output;
    tokens.reasoning += t.reasoning;
    tokens.cache.read += t.cache.read;
    tokens.cache.write += t.cache.write;
    cost += info.cost ?? 0;
  }
  return { tokens, cost: Math.round(cost * 1e6) / 1e6 };
};

/** opencode's Session.Info of a generated session, as `GET /session/:id` returns it. */
function sessionInfo(tree: TraceTree, session: GeneratedSession) {
  const { tokens, cost } = sumTokens(session);
  return {
    id: session.id,
    slug: `trace-${session.id.slice(-6).toLowerCase()}`,
    projectID: "global",
    directory: tree.directory,
    path: tree.directory.replace(/^\//, ""),
    ...(session.parentId ? { parentID: session.parentId } : {}),
    cost,
    tokens,
    title: session.title,
    agent: session.agent,
    model: { id: session.model.id, providerID: session.model.providerID, variant: "default" },
    version: VERSION,
    ...(session.parentId ? { permission: [] } : {}),
    time: { created: session.createdMs, updated: session.updatedMs },
  };
}

/** The tree as a runner (or an opencode.db) would hand it to the archive sync. */
export function traceSourceTree(tree: TraceTree): SourceTree {
  const sessions: SourceSession[] = tree.sessions.map((session) => ({
    info: sessionInfo(tree, session),
    messages: structuredClone(session.messages),
    status: { type: "idle" },
  }));
  return { root: tree.rootOpencodeId, sessions };
}

type OpencodeMessageRow = MessageRow & { time_updated: number };
type OpencodePartRow = PartRow & { time_created: number; time_updated: number };

/** The rows of an opencode.db holding the tree (write it with writeOpencodeDb from server/archive/testing). */
export function traceTreeOpencodeRows(tree: TraceTree): { session: SessionRow[]; message: OpencodeMessageRow[]; part: OpencodePartRow[]; todo: [] } {
  const session: SessionRow[] = [];
  const message: OpencodeMessageRow[] = [];
  const part: OpencodePartRow[] = [];
  for (const s of tree.sessions) {
    const { tokens, cost } = sumTokens(s);
    session.push({
      id: s.id,
      project_id: "global",
      workspace_id: null,
      parent_id: s.parentId,
      slug: `trace-${s.id.slice(-6).toLowerCase()}`,
      directory: tree.directory,
      path: tree.directory.replace(/^\//, ""),
      title: s.title,
      version: VERSION,
      share_url: null,
      summary_additions: 0,
      summary_deletions: 0,
      summary_files: 0,
      summary_diffs: null,
      metadata: null,
      cost,
      tokens_input: tokens.input,
      tokens_output: tokens.output,
      tokens_reasoning: tokens.reasoning,
      tokens_cache_read: tokens.cache.read,
      tokens_cache_write: tokens.cache.write,
      revert: null,
      permission: s.parentId ? "[]" : null,
      agent: s.agent,
      model: JSON.stringify({ id: s.model.id, providerID: s.model.providerID, variant: "default" }),
      time_created: s.createdMs,
      time_updated: s.updatedMs,
      time_compacting: null,
      time_archived: null,
    });
    for (const m of s.messages) {
      const { id, sessionID, ...data } = m.info;
      const time = (m.info.time ?? {}) as { created?: number; completed?: number };
      const created = time.created ?? s.createdMs;
      message.push({ id, session_id: sessionID, time_created: created, time_updated: time.completed ?? created, data: JSON.stringify(data) });
      for (const p of m.parts) {
        const { id: partId, sessionID: partSession, messageID, ...partData } = p;
        const span = (p.state?.time ?? p.time ?? {}) as { start?: number; end?: number };
        part.push({
          id: partId,
          message_id: messageID,
          session_id: partSession,
          time_created: span.start ?? created,
          time_updated: span.end ?? span.start ?? created,
          data: JSON.stringify(partData),
        });
      }
    }
  }
  return { session, message, part, todo: [] };
}

/**
 * Writes an opencode.db (opencode's real schema) holding the tree, in one transaction: what
 * writeOpencodeDb (server/archive/testing.ts) does row by row, which takes minutes at this size.
 */
export function writeTraceTreeOpencodeDb(file: string, tree: TraceTree): void {
  fs.rmSync(file, { force: true });
  const db = new Database(file);
  try {
    db.exec(fs.readFileSync(path.join(__dirname, "..", "archive", "fixtures", "opencode-1.18.33-db-schema.sql"), "utf8"));
    const rows = traceTreeOpencodeRows(tree);
    db.transaction(() => {
      db.prepare("INSERT INTO project (id, worktree, time_created, time_updated, sandboxes) VALUES ('global', '/', 0, 0, '[]')").run();
      for (const table of ["session", "message", "part"] as const) {
        const list: object[] = rows[table];
        if (list.length === 0) continue;
        const columns = Object.keys(list[0]!);
        const insert = db.prepare(`INSERT INTO ${table} (${columns.join(", ")}) VALUES (${columns.map((c) => `@${c}`).join(", ")})`);
        for (const row of list) insert.run(row);
      }
    })();
  } finally {
    db.close();
  }
}

export type SeededTraceTree = {
  runnerId: string;
  /** Archive id of the root session: open /sessions/<rootSessionId>/traces. */
  rootSessionId: string;
  rootOpencodeId: string;
  /** Archive ids of every session, root first. */
  sessionIds: string[];
  counts: TraceTreeCounts;
  tree: TraceTree;
  /** Time spent writing (ms). */
  writeMs: number;
};

/**
 * Inserts rows with one parameter per statement: a JSON array that PostgreSQL turns into rows of
 * the table's own type (json_populate_recordset), so the database parses the values, not
 * Prisma's parameter binding (ten times faster for a 10,000-span tree on PGlite). Columns left
 * out of every row take their defaults; text goes through the archive's lossless encoding, as
 * the client's writes do.
 */
async function insertRows(tx: Tx, table: Prisma.ModelName, rows: object[]) {
  if (rows.length === 0) return;
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))].map((c) => `"${c}"`).join(", ");
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = JSON.stringify(encodeValue(rows.slice(i, i + ROWS_PER_INSERT)));
    await tx.$executeRawUnsafe(`INSERT INTO "${table}" (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::"${table}", $1::json)`, chunk);
  }
}
const ROWS_PER_INSERT = 5_000;

const json = (value: unknown) => value as Prisma.InputJsonValue;
const date = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms));

/**
 * Writes a generated trace tree as an archived tree under a Runner row (a new stopped remote
 * runner unless `runnerId` names one): sessions, sub-agent relations, turns, messages, parts,
 * tool spans and session snapshots, as the archive sync writes them for the same tree, in a
 * few big INSERTs in one transaction.
 */
export async function seedTraceTree(
  db: PrismaClient,
  options: TraceTreeOptions & { runnerId?: string; runnerName?: string },
): Promise<SeededTraceTree> {
  const tree = traceTree(options);
  const started = performance.now();
  const now = new Date();
  const runnerId =
    options.runnerId ??
    (
      await db.runner.create({
        data: {
          name: options.runnerName ?? `traces ${randomUUID().slice(0, 8)}`,
          kind: "remote",
          status: "stopped",
          url: "seed:traces",
          lastError: "Seeded trace tree; not serving.",
        },
        select: { id: true },
      })
    ).id;

  const sessionRows: Prisma.SessionCreateManyInput[] = [];
  const relationRows: Prisma.SessionRelationCreateManyInput[] = [];
  const turnRows: Prisma.TurnCreateManyInput[] = [];
  const messageRows: Prisma.MessageCreateManyInput[] = [];
  const partRows: Prisma.PartCreateManyInput[] = [];
  const spanRows: Prisma.ToolSpanCreateManyInput[] = [];
  const boundaryRows: Prisma.SessionBoundaryCreateManyInput[] = [];
  const sessionIds = new Map(tree.sessions.map((s) => [s.id, randomUUID()]));
  const rootSessionId = sessionIds.get(tree.rootOpencodeId)!;

  for (const session of tree.sessions) {
    const sessionId = sessionIds.get(session.id)!;
    const info = sessionInfo(tree, session);
    const turnIds = new Map<string, string>();
    const turnEnds = new Map<string, number>();
    const messages = session.messages.map((m) => toMessageInfo(m.info));
    let lastActivity = Math.max(session.createdMs, session.updatedMs);
    for (const [i, entry] of session.messages.entries()) {
      const message = messages[i]!;
      if (message.role === "user") {
        const turnId = randomUUID();
        turnIds.set(message.id, turnId);
        turnRows.push({ id: turnId, sessionId, index: turnIds.size, userMessageId: message.id, status: "completed", startedAt: date(message.createdAt) });
        turnEnds.set(message.id, message.createdAt ?? session.createdMs);
      }
      const userId = message.role === "user" ? message.id : message.parentId!;
      const turnId = turnIds.get(userId)!;
      if (message.role === "assistant") turnEnds.set(userId, Math.max(turnEnds.get(userId)!, message.completedAt ?? message.createdAt ?? 0));
      lastActivity = Math.max(lastActivity, message.createdAt ?? 0, message.completedAt ?? 0);
      const messageId = randomUUID();
      messageRows.push({
        id: messageId,
        sessionId,
        turnId,
        opencodeId: message.id,
        ...messageFields(message),
        createdAt: date(message.createdAt) ?? now,
      });
      for (const raw of entry.parts) {
        const part = toPartInfo(raw);
        const partId = randomUUID();
        partRows.push({ id: partId, sessionId, messageId, opencodeId: part.id, updatedAt: now, ...partFields(part, turnId, part.text) });
        if (!part.tool) continue;
        const childSessionId = part.tool.childSessionId ? sessionIds.get(part.tool.childSessionId) : undefined;
        if (childSessionId) {
          relationRows.push({ id: randomUUID(), parentId: sessionId, childId: childSessionId, kind: "subagent", toolCallId: part.tool.callId, turnId });
        }
        spanRows.push({ id: randomUUID(), sessionId, partId, childSessionId, ...spanFields(part.tool, turnId) });
      }
    }
    for (const row of turnRows.slice(-turnIds.size)) row.endedAt = new Date(turnEnds.get(row.userMessageId)!);
    const boundary = boundaryOf({
      seq: 0,
      status: "idle",
      currentTurnId: null,
      messages: messages.map((m) => ({ ...m, cost: priceMessage(m).cost })),
      session: { agent: info.agent, providerId: info.model.providerID, modelId: info.model.id },
    });
    const lastTurn = turnRows.at(-1);
    boundaryRows.push({
      sessionId,
      seq: 0,
      status: "idle",
      currentTurnId: lastTurn?.sessionId === sessionId ? lastTurn.id : null,
      usage: json(boundary.usage),
      agent: boundary.agent ?? null,
      providerId: boundary.providerId ?? null,
      modelId: boundary.modelId ?? null,
      todos: [],
      updatedAt: now,
    });
    sessionRows.push({
      id: sessionId,
      opencodeId: session.id,
      runnerId,
      rootId: rootSessionId,
      directory: tree.directory,
      title: session.title,
      agent: session.agent,
      providerId: session.model.providerID,
      modelId: session.model.id,
      status: "idle",
      tokensInput: info.tokens.input,
      tokensOutput: info.tokens.output,
      tokensReasoning: info.tokens.reasoning,
      tokensCacheRead: info.tokens.cache.read,
      tokensCacheWrite: info.tokens.cache.write,
      cost: info.cost,
      createdAt: new Date(session.createdMs),
      lastActivityAt: new Date(lastActivity),
      archiveState: "archived",
      // The sync bumps the root's version once per committed sync.
      archiveVersion: session.parentId ? 0 : 1,
      lastArchivedAt: now,
      updatedAt: now,
    });
  }

  await db.$transaction(
    async (tx) => {
      // Parents first: the root's row is referenced by every rootId.
      await insertRows(tx, "Session", sessionRows);
      await insertRows(tx, "Turn", turnRows);
      await insertRows(tx, "SessionRelation", relationRows);
      await insertRows(tx, "Message", messageRows);
      await insertRows(tx, "Part", partRows);
      await insertRows(tx, "ToolSpan", spanRows);
      await insertRows(tx, "SessionBoundary", boundaryRows);
    },
    { timeout: 300_000, maxWait: 60_000 },
  );
  return {
    runnerId,
    rootSessionId,
    rootOpencodeId: tree.rootOpencodeId,
    sessionIds: tree.sessions.map((s) => sessionIds.get(s.id)!),
    counts: tree.counts,
    tree,
    writeMs: performance.now() - started,
  };
}
