import { setTimeout as sleep } from "node:timers/promises";
import { expect, it } from "vitest";
import { KeyedChain } from "./keyed-chain";

it("runs one key's tasks one after the other, past a failure, and other keys beside them", async () => {
  const chain = new KeyedChain();
  const log: string[] = [];
  const task = (name: string, ms: number, fail = false) => async () => {
    log.push(`${name} start`);
    await sleep(ms);
    log.push(`${name} end`);
    if (fail) throw new Error(name);
    return name;
  };
  const a1 = chain.run("a", task("a1", 30, true));
  const a2 = chain.run("a", task("a2", 1));
  const b1 = chain.run("b", task("b1", 1));
  await expect(a1).rejects.toThrow("a1");
  expect(await a2).toBe("a2");
  expect(await b1).toBe("b1");
  await chain.idle();
  expect(log.indexOf("a2 start")).toBeGreaterThan(log.indexOf("a1 end"));
  expect(log.indexOf("b1 end")).toBeLessThan(log.indexOf("a1 end"));
});
