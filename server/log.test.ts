import { describe, expect, it } from "vitest";
import { loadConfig } from "./config";
import { createLogger, REDACTED, requestLogger } from "./log";

function capture(level: "debug" | "info" | "warn" | "error") {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger({ level, destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
  return { logger, lines };
}

describe("log", () => {
  it("redacts cookies, authorization headers, passwords and tokens wherever they are", () => {
    const { logger, lines } = capture("info");
    logger.child({ domain: "runners" }).info(
      {
        req: { headers: { cookie: "session=abc", authorization: "Basic b3BlbmNvZGU6aHVudGVyMg==", "set-cookie": "a=b", accept: "text/html" } },
        runner: { name: "gpu-box", password: "hunter2", credentials: { token: "tok_123" } },
        secret: "s3",
      },
      "runner added",
    );
    const text = JSON.stringify(lines);
    for (const secret of ["session=abc", "b3BlbmNvZGU6aHVudGVyMg", "hunter2", "tok_123", "a=b", '"s3"']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      msg: "runner added",
      domain: "runners",
      req: { headers: { cookie: REDACTED, authorization: REDACTED, "set-cookie": REDACTED, accept: "text/html" } },
      runner: { name: "gpu-box", password: REDACTED, credentials: { token: REDACTED } },
    });
  });

  it("LOG_LEVEL=warn drops info and keeps warnings", () => {
    const { logger, lines } = capture(loadConfig({ LOG_LEVEL: "warn" }).LOG_LEVEL);
    logger.info("routine");
    logger.warn("runner unhealthy");
    expect(lines.map((l) => l.msg)).toEqual(["runner unhealthy"]);
  });

  it("a request logger carries the proxy's x-request-id, or a fresh one", () => {
    const { logger, lines } = capture("info");
    requestLogger(new Headers({ "x-request-id": "req-42" }), logger).info("one");
    requestLogger(new Headers(), logger).info("two");
    requestLogger(new Headers({ "x-request-id": "bad id {}" }), logger).info("three");
    expect(lines[0]!.requestId).toBe("req-42");
    expect(lines[1]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(lines[2]!.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
