import { createServer } from "node:net";
import { expect, it } from "vitest";
import { RunnerSource } from "./runner-source";

it("a runner that does not answer is said to be unreachable, not to have lost the session", async () => {
  // A port nothing listens on: taken, then freed.
  const port = await new Promise<number>((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
  const source = new RunnerSource({ url: `http://127.0.0.1:${port}` }, "/work");
  await expect(source.loadTree("ses_0000000000001Unreachable")).rejects.toMatchObject({
    kind: "runner_unavailable",
    message: expect.stringMatching(new RegExp(`^The runner at 127\\.0\\.0\\.1:${port} cannot be reached \\(.*ECONNREFUSED.*\\); the archive keeps what it had\\.$`)),
  });
});
