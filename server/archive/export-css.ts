import fs from "node:fs/promises";
import path from "node:path";
import { compile, optimize } from "@tailwindcss/node";
import { Scanner } from "@tailwindcss/oxide";

// The offline HTML export's stylesheet: the app's own Tailwind stylesheet (app/globals.css),
// built for the classes of the components the export renders (the conversation rows and the
// archive's), minified and inlined. One source of styles: the file looks like the app and a
// new class in a row component is styled in the export too, with no second stylesheet to keep
// in step. Built once per process (~100 ms), from the sources `npm start` serves.

const ROOT = process.cwd();
const SOURCES = ["components/session", "components/archive"];

let built: Promise<string> | undefined;

export function exportStylesheet(): Promise<string> {
  built ??= build().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

async function build(): Promise<string> {
  const file = path.join(ROOT, "app/globals.css");
  const compiler = await compile(await fs.readFile(file, "utf8"), { base: path.dirname(file), onDependency: () => {} });
  const scanner = new Scanner({ sources: SOURCES.map((dir) => ({ base: path.join(ROOT, dir), pattern: "**/*.tsx", negated: false })) });
  return optimize(compiler.build(scanner.scan()), { minify: true }).code;
}
