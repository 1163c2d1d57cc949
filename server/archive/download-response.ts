// How an export leaves: a download, never rendered in the app's origin (nosniff).
export function download(body: string | ReadableStream<Uint8Array>, format: "json" | "html", name: string): Response {
  return new Response(body, {
    headers: {
      "content-type": format === "json" ? "application/json; charset=utf-8" : "text/html; charset=utf-8",
      "content-disposition": `attachment; filename="${name}"`,
      "x-content-type-options": "nosniff",
    },
  });
}
