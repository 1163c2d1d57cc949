import { describe, expect, it } from "vitest";
import { formatBytes } from "./bytes";

describe("formatBytes", () => {
  it("prints each size in the unit a reader expects, without trailing zeros", () => {
    expect(formatBytes(0)).toBe("0 KB");
    expect(formatBytes(200)).toBe("1 KB");
    expect(formatBytes(300 * 1024)).toBe("300 KB");
    expect(formatBytes(3.44 * 1024 ** 2)).toBe("3.4 MB");
    expect(formatBytes(2 * 1024 ** 2)).toBe("2 MB");
    expect(formatBytes(64 * 1024 ** 2)).toBe("64 MB");
    expect(formatBytes(1024 ** 3)).toBe("1 GB");
    expect(formatBytes(1.25 * 1024 ** 3)).toBe("1.25 GB");
    expect(formatBytes(50 * 1024 ** 3)).toBe("50 GB");
  });
});
