import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A web server that is not opencode: healthy on opencode's health path (so a runner pointing at
 * it looks up), a web page everywhere else. Runners added with its URL exercise every answer a
 * non-opencode server gives without starting one.
 */
export async function notOpencodeServer(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    if (request.url?.startsWith("/global/health")) response.writeHead(200, { "content-type": "application/json" }).end('{"healthy":true,"version":"0"}');
    else response.writeHead(200, { "content-type": "text/html" }).end("<html>a web page</html>");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
