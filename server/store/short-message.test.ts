import { expect, it } from "vitest";
import { shortMessage } from "./short-message";

it("keeps Prisma's reason without the invocation, and the first line of a runner's error", () => {
  const prisma = new Error(
    "\nInvalid `db.runner.update()` invocation in\n/app/server/api/routers/archive.ts:94:24\n\n  91 .input(...)\n→ 94 return db.runner.update(\n\nAn operation failed because it depends on one or more records that were required but not found.",
  );
  expect(shortMessage(prisma)).toBe("An operation failed because it depends on one or more records that were required but not found.");
  const runner = "Model not found: demo/nope\n    at <anonymous> (/$bunfs/root/chunk-abc.js:439:94416)\n    at run (/$bunfs/root/chunk-abc.js:12:3)";
  expect(shortMessage(runner)).toBe("Model not found: demo/nope");
  expect(shortMessage(new Error("x".repeat(1000)))).toHaveLength(300);
});
