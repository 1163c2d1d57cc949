import fs from "node:fs";
import path from "node:path";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { startLive, type Live } from "~/server/testing/live";
import { remoteSessionDirectory } from "./directory";

// Session directories are checked before a session or a bridge exists: every refusal is a 400
// that says what was wrong, answered at once, with no bridge left retrying in the background.

describeEachDatabase("session directories on the real runner", (database) => {
  let live: Live;
  let file: string;
  beforeAll(async () => {
    live = await startLive(database.client);
    file = path.join(live.directory, "notes.txt");
    fs.writeFileSync(file, "not a directory");
    fs.mkdirSync(path.join(live.directory, "sub"), { recursive: true });
  }, 120_000);
  afterAll(async () => live?.stop());

  const refused: [string, () => string, RegExp][] = [
    ["a nonexistent path", () => "/no/such/flightdeck/dir", /does not exist/],
    ["the file system root", () => "/", /outside the allowed workspace roots/],
    ["a relative path with ..", () => "..", /not an absolute path/],
    ["a path leaving the workspace with ..", () => `${live.directory}/..`, /outside the allowed workspace roots/],
    ["/proc/self", () => "/proc/self", /outside the allowed workspace roots/],
    ["a file", () => file, /is not a directory/],
    ["a newline", () => `${live.directory}\n/etc`, /NUL or line breaks/],
    ["a NUL", () => `${live.directory}\u0000x`, /NUL or line breaks/],
    ["a 4 KB path", () => `${live.directory}/${"a".repeat(4096)}`, /at most 1024 bytes/],
  ];

  it.each(refused)("refuses %s with a 400 within a second and leaves no bridge", async (_, directory, message) => {
    const before = live.services.bridges.directories(live.runnerId);
    const started = Date.now();
    const error = await live.api.session.create({ runnerId: live.runnerId, directory: directory() }).catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(error).toBeInstanceOf(TRPCError);
    expect(error).toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(message) });
    expect(live.services.bridges.directories(live.runnerId)).toEqual(before);
  });

  it("stores a directory with .. resolved", async () => {
    const { id } = await live.api.session.create({ runnerId: live.runnerId, directory: `${live.directory}/sub/../sub/.` });
    const row = await database.client.session.findUniqueOrThrow({ where: { id } });
    expect(row.directory).toBe(fs.realpathSync(path.join(live.directory, "sub")));
  });

  // Not timed: opencode sometimes takes the whole check's time to refuse a path it cannot list.
  it("asks a remote runner, which refuses a file or a missing directory", async () => {
    const { endpoint } = (await live.services.runners.link(live.runnerId))!;
    await expect(remoteSessionDirectory(endpoint, `${live.directory}/sub/..`)).resolves.toBe(live.directory);
    for (const directory of [file, "/no/such/flightdeck/dir"]) {
      await expect(remoteSessionDirectory(endpoint, directory)).rejects.toMatchObject({
        code: "BAD_REQUEST",
        message: expect.stringContaining(`The runner cannot list "${directory}"`),
      });
    }
  });
});
