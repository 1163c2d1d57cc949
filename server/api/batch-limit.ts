/**
 * The most procedures one batched tRPC request may carry. One request of hundreds would hold a
 * share of the database (one connection on PGlite) that no other user's request can get ahead
 * of; the browser's batch link splits at this size (components/trpc/react.tsx), so only a
 * hand-made request ever meets the limit. No imports: the browser bundle reads the number.
 */
export const MAX_BATCH_PROCEDURES = 20;

/**
 * A 400 for a batch of more procedures than allowed (tRPC's error shape, so a tRPC client reads
 * the message), decided from the address alone, before any procedure runs; undefined otherwise.
 * `/api/trpc/a,b,c?batch=1`: only `batch=1` makes tRPC split the path.
 */
export function refuseOversizedBatch(url: URL, endpoint: string): Response | undefined {
  if (url.searchParams.get("batch") !== "1") return undefined;
  const procedures = url.pathname.slice(endpoint.length).replace(/^\/+|\/+$/g, "").split(",").length;
  if (procedures <= MAX_BATCH_PROCEDURES) return undefined;
  const message = `A batched request may call at most ${MAX_BATCH_PROCEDURES} procedures; this one calls ${procedures}.`;
  return Response.json({ error: { json: { message, code: -32600, data: { code: "BAD_REQUEST", httpStatus: 400 } } } }, { status: 400 });
}
