import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(rel);
    return /\.tsx?$/.test(entry.name) ? [rel] : [];
  });
}

describe("AppLink", () => {
  it("is the only way pages and components link (next/link's default prefetch renders pages nobody opened)", () => {
    const direct = [...sources("app"), ...sources("components")].filter(
      (file) => file !== path.join("components", "layout", "app-link.tsx") && /from ["']next\/link["']/.test(fs.readFileSync(path.join(root, file), "utf8")),
    );
    expect(direct).toEqual([]);
  });
});
