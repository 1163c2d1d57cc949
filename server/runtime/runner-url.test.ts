import { describe, expect, it } from "vitest";
import { runnerUrl, runnerUrlSchema } from "./runner-url";

describe("runnerUrl", () => {
  it("keeps the path prefix of a runner behind a reverse proxy", () => {
    expect(runnerUrl("http://host:8080/opencode", "/event").href).toBe("http://host:8080/opencode/event");
    expect(runnerUrl("http://host:8080/opencode/", "/global/health").href).toBe("http://host:8080/opencode/global/health");
    expect(runnerUrl("http://127.0.0.1:4096", "/event").href).toBe("http://127.0.0.1:4096/event");
  });
});

describe("runnerUrlSchema", () => {
  it("accepts http(s) URLs and drops the trailing slash", () => {
    expect(runnerUrlSchema.parse(" https://runner.example/opencode/ ")).toBe("https://runner.example/opencode");
    expect(runnerUrlSchema.parse("http://127.0.0.1:4096")).toBe("http://127.0.0.1:4096");
  });

  it("refuses other schemes, credentials in the URL, and non-URLs, saying what is wrong", () => {
    const problem = (url: string) => runnerUrlSchema.safeParse(url).error?.issues[0]?.message;
    expect(problem("file:///etc/passwd")).toMatch(/must start with http:\/\/ or https:\/\/ \(not file:\/\/\)/);
    expect(problem("ftp://runner.example")).toMatch(/not ftp:/);
    const withPassword = problem("http://opencode:hunter2@runner.example")!;
    expect(withPassword).toMatch(/must not contain a user name or password/);
    expect(withPassword).not.toContain("hunter2");
    expect(problem("runner.example:4096")).toMatch(/must start with http/);
    expect(problem("not a url")).toMatch(/is not a URL/);
  });
});
