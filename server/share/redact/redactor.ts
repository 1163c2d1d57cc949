import { compilePatterns, redactPatterns } from "./admin-patterns";
import { detectedValues } from "./detected-values";
import { formatsIn, redactFormats } from "./detectors";
import { homeReplacer } from "./home";
import { redactAssignments } from "./keyword";
import { literals, type Literals } from "./literals";
import { marker, MARKER_PREFIX } from "./marker";
import { scanSecrets } from "./secretlint";

export type RedactorOptions = {
  /** Values known to be secret (runner passwords, keys the app holds); shorter than 8 characters are ignored. */
  exactValues: readonly string[];
  /** Admin-supplied regular expression sources; invalid ones are skipped (`checkPattern` says why). */
  extraPatterns?: readonly string[];
  /** The home directory, shown as `~`. */
  home?: string;
};

/** Redacts one string, synchronously. */
export type Redact = (text: string) => string;

/** What secretlint found in collected strings: each value and its kind. */
export type Findings = ReadonlyMap<string, string>;

export type Redactor = {
  /**
   * Scans the strings about to be shown with secretlint (joined, a few calls for a whole tree),
   * then returns the sync function that redacts each of them. Collect all of a tree's strings at
   * once, and again when new ones arrive: secretlint's findings are known only for the strings
   * collected (every other layer applies to any string).
   */
  collect(texts: readonly string[]): Promise<Redact>;
  /**
   * `collect` over strings that arrive a batch at a time (a tree read a few hundred parts at a
   * time): what secretlint finds in any batch is redacted in every string.
   */
  collectEach(batches: AsyncIterable<readonly string[]>): Promise<Redact>;
  /** What secretlint finds in strings, a batch at a time: `collectEach` is `using(await findIn(batches))`. */
  findIn(batches: AsyncIterable<readonly string[]> | Iterable<readonly string[]>): Promise<Findings>;
  /** Redacts what these findings name (of any number of collections, kept or new), and every other layer. */
  using(...findings: Findings[]): Redact;
  /** One string on its own (`collect([text])`, then apply). */
  redact(text: string): Promise<string>;
  /**
   * The last check before bytes are sent: the kinds (never the values) of high-confidence secrets
   * still in them. Not the fuzzy keyword rule. Empty for anything this redactor produced.
   */
  findHighConfidence(bytes: string): Promise<string[]>;
};

export function createRedactor(options: RedactorOptions): Redactor {
  const known = literals(new Map(options.exactValues.map((value) => [value, "known-value"])));
  const admin = compilePatterns(options.extraPatterns ?? []);
  const home = homeReplacer(options.home);

  const layers =
    (detected: Literals): Redact =>
    (text) => {
      let out = known.replace(text);
      out = detected.replace(out);
      out = redactFormats(out);
      out = redactAssignments(out);
      out = redactPatterns(out, admin, marker("admin-pattern"));
      return home(out);
    };

  const findIn = async (batches: AsyncIterable<readonly string[]> | Iterable<readonly string[]>): Promise<Findings> => {
    const found = new Map<string, string>();
    for await (const texts of batches) for (const [value, kind] of await detectedValues(texts)) found.set(value, kind);
    return found;
  };
  const using = (...findings: Findings[]): Redact => layers(literals(new Map(findings.flatMap((found) => [...found]))));
  const collectEach = async (batches: AsyncIterable<readonly string[]> | Iterable<readonly string[]>): Promise<Redact> => using(await findIn(batches));
  const collect = (texts: readonly string[]) => collectEach([texts]);

  return {
    collect,
    collectEach,
    findIn,
    using,
    redact: async (text) => (await collect([text]))(text),
    async findHighConfidence(bytes) {
      const text = unescapeJson(bytes);
      const kinds = new Set([...known.kindsIn(text), ...formatsIn(text)]);
      for (const { kind, start, end, severity } of await scanSecrets(text)) {
        // `scheme://user:[redacted:password]@host` still reads as a connection string to secretlint.
        if (severity === "error" && !text.slice(start, end).includes(MARKER_PREFIX)) kinds.add(kind);
      }
      return [...kinds].sort();
    },
  };
}

// Bytes to send are usually JSON. Its escapes hide secrets from patterns (`\"` between a name and
// its value, `\n` glued to a token, `\u0022`), so the check reads the strings as they will print.
const JSON_ESCAPE = /\\(?:u([0-9a-fA-F]{4})|(["\\/bfnrt]))/g;
const ESCAPED: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t" };

function unescapeJson(bytes: string): string {
  return bytes.replace(JSON_ESCAPE, (_, hex: string | undefined, char: string | undefined) =>
    hex ? String.fromCharCode(Number.parseInt(hex, 16)) : ESCAPED[char!]!,
  );
}
