import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A reverse proxy on 127.0.0.1 that serves `target` under `prefix` (as nginx with
 * `location /opencode/ { proxy_pass http://runner/; proxy_buffering off; }` would), streaming
 * responses as they come (SSE included). Anything outside the prefix is a 404, so a client that
 * drops the prefix fails visibly. `paths` records what was asked, prefix stripped.
 */
export async function startPrefixProxy(target: string, prefix: string) {
  const upstream = new URL(target);
  const paths: string[] = [];
  const server = http.createServer((req, res) => {
    const url = req.url ?? "/";
    if (!url.startsWith(`${prefix}/`)) {
      res.writeHead(404, { "content-type": "text/plain" }).end(`not under ${prefix}/`);
      return;
    }
    const path = url.slice(prefix.length);
    paths.push(path);
    const forward = http.request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        res.flushHeaders();
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.destroy());
    res.on("close", () => forward.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}/`,
    paths,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
