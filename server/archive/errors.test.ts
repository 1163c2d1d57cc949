import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { describe, expect, it } from "vitest";
import { archiveErrorData, archiveTrpcError } from "~/server/api/errors";
import { ArchiveError, archiveErrorResponse, assertSessionId, type ArchiveErrorKind } from "./errors";

describe("archive errors over HTTP and tRPC", () => {
  it("answers 400 malformed, 404 unknown, 410 purged, 503 + Retry-After while syncing", async () => {
    const cases: [ArchiveErrorKind, number][] = [["malformed_id", 400], ["unknown", 404], ["purged", 410], ["syncing", 503]];
    for (const [kind, status] of cases) {
      const response = archiveErrorResponse(new ArchiveError(kind, `it is ${kind}`, kind === "syncing" ? 2 : undefined));
      expect(response.status).toBe(status);
      expect(await response.json()).toEqual({ error: kind, message: `it is ${kind}` });
      expect(response.headers.get("retry-after")).toBe(kind === "syncing" ? "2" : null);
    }
  });

  it("maps to tRPC codes with the same HTTP status family and keeps which kind it was", () => {
    const syncing = archiveTrpcError(new ArchiveError("syncing", "A sync is writing.", 3));
    expect(syncing.code).toBe("SERVICE_UNAVAILABLE");
    expect(getHTTPStatusCodeFromError(syncing)).toBe(503);
    expect(syncing.message).toBe("A sync is writing. Retry in 3 s.");
    expect(archiveErrorData(syncing)).toEqual({ kind: "syncing", retryAfterSeconds: 3 });
    const purged = archiveTrpcError(new ArchiveError("purged", "Purged."));
    expect(purged.code).toBe("NOT_FOUND");
    expect(archiveErrorData(purged)).toEqual({ kind: "purged", retryAfterSeconds: null });
    expect(getHTTPStatusCodeFromError(archiveTrpcError(new ArchiveError("malformed_id", "x")))).toBe(400);
  });

  it("tells a malformed id from an unknown one", () => {
    expect(() => assertSessionId("../etc/passwd")).toThrow(/not a session id/);
    expect(assertSessionId("3F0C9A7E-1B2D-4C5E-8F9A-0B1C2D3E4F5A")).toBe("3f0c9a7e-1b2d-4c5e-8f9a-0b1c2d3e4f5a");
  });
});
