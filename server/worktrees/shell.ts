import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { createRunnerClient } from "~/server/runtime/client";
import { CommandError } from "~/server/sessions/command-error";
import { onRunner } from "~/server/sessions/on-runner";
import type { WorktreeHost } from "./host";

/** What a command printed, and its exit code (0 on success). */
export type ShellResult = { code: number; stdout: string; stderr: string };

/** Runs a program (no shell between: `argv` as is) in `cwd` on the runner's machine. */
export type Shell = (cwd: string, argv: string[], env?: Record<string, string>) => Promise<ShellResult>;

/**
 * The runner's machine, for what opencode's API does not offer (a worktree's base, merging, disk
 * use). The embedded runner shares the app's: the program runs here. A remote runner's machine is
 * reachable only through its API: the program runs in a terminal of its own (opencode's PTY API),
 * its output and exit code go to files in the repository's git directory, which the file API
 * reads back (it reads only inside the project), and which are removed after.
 */
export function runnerShell(host: WorktreeHost, repository: string): Shell {
  return host.local ? localShell : remoteShell(host, repository);
}

const localShell: Shell = (cwd, argv, env = {}) =>
  new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, ...env } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, stdout, stderr: stderr || (error && typeof error.code !== "number" ? error.message : "") });
    });
  });

/** How long a program on a remote runner may take, and how often its exit code is looked for. */
const REMOTE_TIMEOUT_MS = 60_000;
const POLL_MS = 100;

function remoteShell(host: WorktreeHost, repository: string): Shell {
  const client = createRunnerClient(host.endpoint, { directory: repository });
  const read = async (file: string) =>
    (await onRunner(host.endpoint, "read a command's output", () => client.file.read({ path: file }, { throwOnError: true }))).data.content;
  return async (cwd, argv, env = {}) => {
    const files = `.git/flightdeck-run-${randomBytes(6).toString("hex")}`;
    const at = (suffix: string) => quote(`${repository}/${files}.${suffix}`);
    // The exit code is written last, and renamed into place: once it can be read, so can the rest.
    const script = `cd ${quote(cwd)} && ${argv.map(quote).join(" ")} >${at("out")} 2>${at("err")}; echo $? >${at("tmp")}; mv ${at("tmp")} ${at("code")}`;
    const { data: pty } = await onRunner(host.endpoint, `run ${argv[0]}`, () =>
      client.pty.create({ command: "sh", args: ["-c", script], cwd: repository, title: `Flightdeck: ${argv.slice(0, 3).join(" ")}`, env }, { throwOnError: true }),
    );
    try {
      const deadline = Date.now() + REMOTE_TIMEOUT_MS;
      let code = "";
      while (!(code = (await read(`${files}.code`)).trim())) {
        if (Date.now() > deadline) throw new CommandError("PRECONDITION_FAILED", `${argv.join(" ")} did not finish on the runner at ${host.endpoint.url} within ${REMOTE_TIMEOUT_MS / 1000} s.`);
        await sleep(POLL_MS);
      }
      const [stdout, stderr] = await Promise.all([read(`${files}.out`), read(`${files}.err`)]);
      return { code: Number(code), stdout, stderr };
    } finally {
      await client.pty.remove({ ptyID: pty.id }).catch(() => undefined);
      await removeFiles(["out", "err", "tmp", "code"].map(at), async () => !(await read(`${files}.code`)));
    }
  };

  async function removeFiles(quoted: string[], gone: () => Promise<boolean>) {
    await client.pty.create({ command: "sh", args: ["-c", `rm -f ${quoted.join(" ")}`], cwd: repository }).catch(() => undefined);
    for (let tries = 0; tries < 20 && !(await gone().catch(() => true)); tries++) await sleep(POLL_MS);
  }
}

/** One shell word, whatever the text holds. */
export function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
