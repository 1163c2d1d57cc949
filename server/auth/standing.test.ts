import { expect, it } from "vitest";
import { describeEachDatabase } from "~/server/testing/database";
import { signedIn } from "~/server/testing/team";
import { standingChecks, stillAllowed, whileAllowed } from "./standing";
import { disableMember, setRole } from "./team";

describeEachDatabase("a caller checked again while a stream lasts", (database) => {
  it("stays allowed until disabled, signed out, expired or lowered below the role", async () => {
    const db = database.client;
    const operator = await signedIn(db, "operator");
    expect(await stillAllowed(db, operator, "operator")).toBe(true);
    await setRole(db, { userId: operator.userId, role: "viewer" });
    expect(await stillAllowed(db, operator, "operator")).toBe(false);
    expect(await stillAllowed(db, operator, "viewer")).toBe(true);

    const expired = await signedIn(db, "viewer");
    await db.authSession.update({ where: { id: expired.authSessionId }, data: { expiresAt: new Date(Date.now() - 1) } });
    expect(await stillAllowed(db, expired, "viewer")).toBe(false);

    const signedOut = await signedIn(db, "viewer");
    await db.authSession.delete({ where: { id: signedOut.authSessionId } });
    expect(await stillAllowed(db, signedOut, "viewer")).toBe(false);

    const disabled = await signedIn(db, "viewer");
    await disableMember(db, { userId: disabled.userId });
    expect(await stillAllowed(db, disabled, "viewer")).toBe(false);
  });

  it("ends a stream once its caller is refused, and stops its source", async () => {
    const db = database.client;
    const viewer = await signedIn(db, "viewer");
    const check = standingChecks(db, 20);
    let stopped = false;
    async function* ticks() {
      try {
        for (let i = 0; ; i++) {
          yield i;
          await new Promise((resolve) => setTimeout(resolve, 10));
        }
      } finally {
        stopped = true;
      }
    }
    const stream = whileAllowed(ticks(), () => check(viewer, "viewer"), () => new Error("refused"), 20);
    expect(await stream.next()).toEqual({ value: 0, done: false });
    await disableMember(db, { userId: viewer.userId });
    await expect((async () => { for (;;) await stream.next(); })()).rejects.toThrow("refused");
    await expect.poll(() => stopped).toBe(true);
  });
});
