// Runs once when the Next.js server boots. Node-only work lives in server/boot.ts so the edge
// bundle of this file stays free of Node APIs.
export async function register() {
  if (process.env.NEXT_RUNTIME === "nodejs") await (await import("~/server/boot")).boot();
}
