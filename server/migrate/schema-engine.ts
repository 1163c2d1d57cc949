import fs from "node:fs";
import { createRequire } from "node:module";
import type { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import {
  bindMigrationAwareSqlAdapterFactory,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import { openMemoryPglite } from "./memory-pglite";
import * as bindings from "@prisma/schema-engine-wasm/schema_engine_bg";
import type { DiffParams, DiffResult } from "@prisma/schema-engine-wasm/schema_engine_bg";

// The package's main entry imports the .wasm as an ES module, which Node 20 cannot do, so the
// module is instantiated here against the package's own JS bindings (done once per process:
// the bindings keep the instance in module state).
let ready: Promise<void> | undefined;

function loadWasm(): Promise<void> {
  ready ??= (async () => {
    const wasmPath = createRequire(import.meta.url)
      .resolve("@prisma/schema-engine-wasm/schema_engine_bg")
      .replace(/\.js$/, ".wasm");
    const imports: Record<string, unknown> = { ...bindings };
    for (const name of Object.keys(imports)) {
      if (name.startsWith("__wbg_setTimeout_")) imports[name] = unrefTimeout(imports[name]);
    }
    const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {
      "./schema_engine_bg.js": imports as WebAssembly.ModuleImports,
    });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return ready;
}

// The engine arms a 10 s timer that would otherwise keep a CLI or test process alive after
// its work is done.
function unrefTimeout(setTimeoutImport: unknown) {
  const original = setTimeoutImport as (...args: unknown[]) => NodeJS.Timeout;
  return (...args: unknown[]) => {
    const timer = original(...args);
    timer.unref?.();
    return timer;
  };
}

const ADAPTER_NAME = "flightdeck-throwaway-pglite";

// The engine only ever sees one throwaway in-memory database, never the application's (the
// shadow helpers of the stock adapters have been seen to connect to the main database). Its
// "main" connection is only asked for the server version, so the shadow database it replays
// migrations into can be the same one: PGlite takes seconds to start. That is sound for one
// diff per engine, which is why this module offers nothing else.
function throwawayAdapterFactory() {
  let started: Promise<{ db: PGlite; adapter: SqlDriverAdapter }> | undefined;
  const start = () =>
    (started ??= (async () => {
      const db = await openMemoryPglite();
      return { db, adapter: await new PrismaPGlite(db).connect() };
    })());
  const connect = async (): Promise<SqlDriverAdapter> => ({
    provider: "postgres",
    adapterName: ADAPTER_NAME,
    queryRaw: async (query) => (await start()).adapter.queryRaw(query),
    executeRaw: async (query) => (await start()).adapter.executeRaw(query),
    // The stock adapter does not await the script, so a failing migration would go unnoticed.
    executeScript: async (script) => void (await (await start()).db.exec(script)),
    startTransaction: async (level) => (await start()).adapter.startTransaction(level),
    dispose: async () => {},
  });
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: "postgres",
    adapterName: ADAPTER_NAME,
    connect,
    connectToShadowDb: connect,
  };
  const close = async () => {
    if (started) await (await started).db.close();
  };
  return { factory, close };
}

/** Diffs two schema sources (`script: true`, exit code 2 when they differ) on a fresh engine. */
export async function diffSchemas(
  params: Omit<DiffParams, "script" | "exitCode" | "filters">,
): Promise<DiffResult> {
  await loadWasm();
  const { factory, close } = throwawayAdapterFactory();
  const adapter = bindMigrationAwareSqlAdapterFactory(factory);
  const engine = await bindings.SchemaEngine.new({ datamodels: undefined }, () => {}, adapter);
  try {
    return await engine.diff({
      ...params,
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
  } catch (error) {
    throw withDatabaseError(error, adapter.errorRegistry);
  } finally {
    engine.free();
    await close();
  }
}

// When the database rejects SQL (say a migration that does not replay), the engine only says
// "External error id#N" and leaves the database's own message in the adapter's registry.
function withDatabaseError(error: unknown, registry: ErrorRegistry): unknown {
  const id = /External error id#(\d+)/.exec(error instanceof Error ? error.message : "")?.[1];
  const original = id === undefined ? undefined : registry.consumeError(Number(id))?.error;
  if (!(error instanceof Error) || !(original instanceof Error)) return error;
  const summary = error.message.split("\n")[0]!.trim();
  return new Error(`${summary} The database said: ${original.message}`, { cause: error });
}
