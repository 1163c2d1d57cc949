import { afterAll, expect, it } from "vitest";
import { ArchiveError } from "~/server/archive/errors";
import { log } from "~/server/log";
import { CommandError } from "~/server/sessions/command-error";
import { NotOwnerError, OwnerRpc, type OwnerHandlers } from "./owner-rpc";
import { connectRedis, redisKeys, type Redis } from "./redis";
import { describeWithRedis, TEST_REDIS_URL, testKeyPrefix } from "~/server/testing/redis";

const quiet = log.child({ domain: "test" });
quiet.level = "silent";
(await describeWithRedis())("commands forwarded to a runner's owner", () => {
  const connections: Redis[] = [];
  afterAll(() => connections.forEach((c) => c.disconnect()));

  async function instance(prefix: string, instanceId: string, handlers: OwnerHandlers) {
    const connect = () => {
      const c = connectRedis(TEST_REDIS_URL, instanceId);
      connections.push(c);
      return c;
    };
    const rpc = new OwnerRpc({ redis: connect(), subscriber: connect(), keys: redisKeys(prefix), instanceId, handlers, log: quiet });
    await rpc.start();
    return rpc;
  }

  it("runs the operation on the owner and brings back its result or its error as the caller's own", async () => {
    const prefix = testKeyPrefix();
    const seen: string[] = [];
    const owner = await instance(prefix, "owner", {
      echo: async (runnerId, args) => {
        seen.push(`${runnerId}:${String(args.text)}`);
        return { text: args.text, by: "owner" };
      },
      refuse: async () => {
        throw new CommandError("PRECONDITION_FAILED", "The runner of this session is not serving right now.");
      },
      busy: async () => {
        throw new ArchiveError("syncing", "Already syncing.", 3);
      },
    });
    const asker = await instance(prefix, "asker", {});
    await owner.serve("r1");
    expect(await asker.call("r1", "echo", { text: "héllo" })).toEqual({ text: "héllo", by: "owner" });
    expect(seen).toEqual(["r1:héllo"]);
    await expect(asker.call("r1", "refuse", {})).rejects.toMatchObject({ code: "PRECONDITION_FAILED", message: "The runner of this session is not serving right now." });
    await expect(asker.call("r1", "refuse", {})).rejects.toBeInstanceOf(CommandError);
    await expect(asker.call("r1", "busy", {})).rejects.toMatchObject({ kind: "syncing", retryAfterSeconds: 3 });
  });

  it("waits through an owner change: a request nobody holds is sent again until the next owner answers", async () => {
    const prefix = testKeyPrefix();
    let firstOwns = true;
    const first = await instance(prefix, "first", {
      whoami: async () => {
        if (!firstOwns) throw new NotOwnerError();
        return "first";
      },
    });
    const second = await instance(prefix, "second", { whoami: async () => "second" });
    const asker = await instance(prefix, "asker", {});
    await first.serve("r2");
    expect(await asker.call("r2", "whoami", {})).toBe("first");
    // The first owner lost the runner but still listens for a moment; nobody else holds it yet.
    firstOwns = false;
    const answer = asker.call("r2", "whoami", {});
    await new Promise((r) => setTimeout(r, 600));
    await first.unserve("r2");
    await second.serve("r2");
    expect(await answer).toBe("second");
  });

  it("says so when no instance owns the runner before the deadline", async () => {
    const asker = await instance(testKeyPrefix(), "asker", {});
    await expect(asker.call("nobody", "whoami", {}, 800)).rejects.toThrow(/No Flightdeck instance answered for runner nobody/);
  });
});
