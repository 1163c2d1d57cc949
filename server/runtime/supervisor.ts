import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import type { Config } from "@opencode-ai/sdk/v2/types";
import { config as appConfig } from "~/server/config";
import { fetchRunnerHealth, type RunnerCredentials } from "./health";
import { DEFAULT_BACKOFF, nextAttempt, restartDelay, type BackoffOptions } from "./backoff";
import { seedConfigDir } from "./config-seed";
import { loadRuntimeEnv, type Env } from "./env";
import { guardProcessGroup } from "./exit-guard";
import { ensureGitWorkTree } from "./git-work-tree";
import { resolveOpencodeBinary } from "./opencode-binary";
import { OutputTail } from "./output-tail";
import { killGroup, reapStaleRunner, removePidFile, writePidFile } from "./process-group";
import { runnerEnv, runnerPaths, type RunnerPaths } from "./runner-env";

/** One life of the opencode process: every (re)start gets a new instanceId. */
export type RunnerInstance = { url: string; instanceId: string; version: string; pid: number };

export type RunnerEvent =
  | { type: "starting"; attempt: number }
  | ({ type: "ready" } & RunnerInstance)
  | { type: "exited"; instanceId: string; pid: number; code: number | null; signal: NodeJS.Signals | null }
  | { type: "restarting"; attempt: number; delayMs: number; reason: string }
  | { type: "stopped" };

export type RunnerStatus = "idle" | "starting" | "ready" | "restarting" | "stopping" | "stopped" | "failed";

export type RunnerSupervisorOptions = {
  opencodeConfig: Config;
  /** Default `<FLIGHTDECK_DATA_DIR>/runner`. */
  dataDir?: string;
  /** The server's default project directory. Default `<dataDir>/workspace`. */
  directory?: string;
  binary?: string;
  /** Default: a free port, kept across restarts while it stays free. */
  port?: number;
  /** The environment to pick pass-through variables from (see runner-env.ts). */
  env?: Env;
  readyTimeoutMs?: number;
  stopTimeoutMs?: number;
  backoff?: Partial<BackoffOptions>;
};

type Life = { child: ChildProcess; pid: number; instanceId: string; exited: Promise<ExitInfo>; release: () => void };
type ExitInfo = { code: number | null; signal: NodeJS.Signals | null };

/** opencode ended before it served: a broken setup, or a port taken meanwhile. */
class StartupExit extends Error {}

const START_ATTEMPTS = 3;

/** A port free on 127.0.0.1 right now (another process may take it before it is used). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

export class RunnerSupervisor {
  readonly credentials: RunnerCredentials = {
    username: "flightdeck",
    password: randomBytes(24).toString("base64url"),
  };
  readonly paths: RunnerPaths;
  readonly directory: string;
  private readonly binary: string;
  private readonly readyTimeoutMs: number;
  private readonly stopTimeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly listeners = new Set<(event: RunnerEvent) => void>();
  private preferredPort: number | undefined;
  private life: Life | undefined;
  private current: RunnerInstance | undefined;
  private readyAt = 0;
  private attempt = 0;
  private restartTimer: NodeJS.Timeout | undefined;
  private stopping = false;
  private _status: RunnerStatus = "idle";
  private _lastError: Error | undefined;

  constructor(private readonly options: RunnerSupervisorOptions) {
    this.paths = runnerPaths(options.dataDir ?? path.join(appConfig().dataDir, "runner"));
    this.directory = options.directory ?? path.join(this.paths.dataDir, "workspace");
    this.binary = options.binary ?? resolveOpencodeBinary(options.env);
    this.preferredPort = options.port;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
    this.stopTimeoutMs = options.stopTimeoutMs ?? 5_000;
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
  }

  get status(): RunnerStatus {
    return this._status;
  }

  /** The serving process, while there is one. */
  get instance(): RunnerInstance | undefined {
    return this._status === "ready" ? this.current : undefined;
  }

  /** Why the last start or restart attempt failed. */
  get lastError(): Error | undefined {
    return this._lastError;
  }

  on(listener: (event: RunnerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<RunnerInstance> {
    if (this._status !== "idle" && this._status !== "stopped" && this._status !== "failed") {
      throw new Error(`the runner is already ${this._status}`);
    }
    this.stopping = false;
    this.attempt = 0;
    for (const dir of [this.directory, this.paths.home, ...Object.values(this.paths.xdg)]) {
      fs.mkdirSync(dir, { recursive: true });
    }
    seedConfigDir(loadRuntimeEnv(this.options.env).FLIGHTDECK_RUNNER_CONFIG_SEED, path.join(this.paths.xdg.config, "opencode"));
    // Our own workspace, not a user's project: a git work tree so reverts restore files.
    if (!this.options.directory) ensureGitWorkTree(this.directory);
    reapStaleRunner(this.paths.pidFile, this.binary);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.launch(attempt);
      } catch (err) {
        // A port this supervisor chose can be taken by another process before opencode binds it
        // (opencode then exits at once): another free port is tried. A port the user set is not.
        const portRace = err instanceof StartupExit && this.options.port === undefined;
        if (this.stopping || !portRace || attempt >= START_ATTEMPTS) {
          if (!this.stopping) this.setStatus("failed");
          throw err;
        }
      }
    }
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.restartTimer);
    const life = this.life;
    if (life) {
      this.setStatus("stopping");
      killGroup(life.pid, "SIGTERM");
      // Unref'd: a pending grace timer must not keep the app alive once opencode is gone.
      const grace = sleep(this.stopTimeoutMs, false, { ref: false });
      const exited = await Promise.race([life.exited.then(() => true), grace]);
      if (!exited) killGroup(life.pid, "SIGKILL");
      await life.exited;
    }
    if (this._status !== "stopped") {
      this.setStatus("stopped");
      this.emit({ type: "stopped" });
    }
  }

  private emit(event: RunnerEvent) {
    for (const listener of this.listeners) listener(event);
  }

  private setStatus(status: RunnerStatus) {
    this._status = status;
  }

  private spawn(port: number): { life: Life; tail: OutputTail } {
    const env = runnerEnv(this.options.env ?? process.env, this.paths, this.credentials, this.options.opencodeConfig);
    const child = spawn(this.binary, ["serve", "--port", String(port), "--hostname", "127.0.0.1"], {
      cwd: this.directory,
      // Next's typings make NODE_ENV mandatory in ProcessEnv; the runner has no use for it.
      env: env as NodeJS.ProcessEnv,
      // Its own process group: one signal reaches opencode and every tool process it started.
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    const tail = new OutputTail(4_096, [this.credentials.password]);
    child.stdout?.on("data", (d: Buffer) => tail.push(d));
    child.stderr?.on("data", (d: Buffer) => tail.push(d));
    const exited = new Promise<ExitInfo>((resolve) => {
      child.once("exit", (code, signal) => resolve({ code, signal }));
      child.once("error", (err) => {
        tail.push(Buffer.from(`${err.message}\n`));
        resolve({ code: null, signal: null });
      });
    });
    const pid = child.pid ?? -1;
    const unguard = pid > 0 ? guardProcessGroup(pid) : () => {};
    if (pid > 0) writePidFile(this.paths.pidFile, pid);
    const release = () => {
      unguard();
      removePidFile(this.paths.pidFile, pid);
    };
    return { life: { child, pid, instanceId: randomUUID(), exited, release }, tail };
  }

  private async launch(attempt: number): Promise<RunnerInstance> {
    this.setStatus("starting");
    this.emit({ type: "starting", attempt });
    const port = this.preferredPort ?? (await freePort());
    if (this.stopping) throw new Error("the runner was stopped while starting");
    const url = `http://127.0.0.1:${port}`;
    const { life, tail } = this.spawn(port);
    this.life = life;
    let version: string;
    try {
      version = await this.waitReady(url, life, tail);
    } catch (err) {
      killGroup(life.pid, "SIGKILL");
      await life.exited;
      life.release();
      this.life = undefined;
      // The port may be what failed (taken by someone else): let the next attempt pick another.
      this.preferredPort = undefined;
      this._lastError = this.stopping ? new Error("the runner was stopped while starting") : (err as Error);
      throw this._lastError;
    }
    this.preferredPort = port;
    this.readyAt = Date.now();
    this.current = { url, instanceId: life.instanceId, version, pid: life.pid };
    this.setStatus("ready");
    this.emit({ type: "ready", ...this.current });
    void life.exited.then((exit) => this.onExit(life, exit));
    return this.current;
  }

  private async waitReady(url: string, life: Life, tail: OutputTail): Promise<string> {
    let exit: ExitInfo | undefined;
    void life.exited.then((e) => (exit = e));
    const deadline = Date.now() + this.readyTimeoutMs;
    while (Date.now() < deadline) {
      if (exit) {
        const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
        throw new StartupExit(`opencode exited during startup (${how}). Output:\n${tail.text()}`);
      }
      try {
        const health = await fetchRunnerHealth({ url, credentials: this.credentials }, 1_000);
        if (health.healthy) return health.version;
      } catch {
        // not listening yet
      }
      await sleep(100);
    }
    throw new Error(`opencode did not become ready within ${this.readyTimeoutMs} ms. Output:\n${tail.text()}`);
  }

  private onExit(life: Life, exit: ExitInfo) {
    // Tool processes opencode started must not outlive it.
    killGroup(life.pid, "SIGKILL");
    life.release();
    if (this.life === life) this.life = undefined;
    this.emit({ type: "exited", instanceId: life.instanceId, pid: life.pid, ...exit });
    if (this.stopping) return;
    const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`;
    this.scheduleRestart(`opencode exited unexpectedly (${how})`);
  }

  private scheduleRestart(reason: string) {
    const healthyForMs = this.readyAt > 0 ? Date.now() - this.readyAt : 0;
    this.readyAt = 0;
    this.attempt = nextAttempt(this.attempt, healthyForMs, this.backoff);
    const delayMs = restartDelay(this.attempt, this.backoff);
    this.setStatus("restarting");
    this.emit({ type: "restarting", attempt: this.attempt, delayMs, reason });
    this.restartTimer = setTimeout(() => {
      this.launch(this.attempt).catch((err: Error) => {
        if (!this.stopping) this.scheduleRestart(err.message);
      });
    }, delayMs);
  }
}
