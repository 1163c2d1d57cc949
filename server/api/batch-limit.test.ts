import { describe, expect, it } from "vitest";
import { MAX_BATCH_PROCEDURES, refuseOversizedBatch } from "./batch-limit";

const batch = (n: number, query = "?batch=1") => new URL(`http://127.0.0.1/api/trpc/${Array(n).fill("health.check").join(",")}${query}`);

describe("procedures per batched request", () => {
  it("lets a batch up to the limit through, and refuses a larger one with 400 naming the limit", async () => {
    expect(refuseOversizedBatch(batch(MAX_BATCH_PROCEDURES), "/api/trpc")).toBeUndefined();
    const refused = refuseOversizedBatch(batch(200), "/api/trpc")!;
    expect(refused.status).toBe(400);
    const body = await refused.json();
    expect(body.error.json.message).toBe(`A batched request may call at most ${MAX_BATCH_PROCEDURES} procedures; this one calls 200.`);
    expect(body.error.json.data).toMatchObject({ code: "BAD_REQUEST", httpStatus: 400 });
  });

  it("counts only batches (tRPC splits the path only with batch=1)", () => {
    expect(refuseOversizedBatch(batch(200, ""), "/api/trpc")).toBeUndefined();
  });
});
