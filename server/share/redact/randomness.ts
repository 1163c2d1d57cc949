// Whether a value next to a word like "password" is a credential or ordinary text. Real keys and
// generated passwords are long, varied and mix character classes; counts, words, names from code
// and template placeholders are not.
const MIN_LENGTH = 12;
const MIN_BITS_PER_CHAR = 3.0;
const MIN_CLASSES = 2;

const PLACEHOLDER = /^\$\{[^}]*\}$|^\$[A-Za-z_]\w*$|^<[^>]*>$|x{4,}|\*{4,}|\.{3}|changeme|your[_-]|example|placeholder|dummy/i;

// What code assigns to a secret's name without it being the secret: a member path
// (`process.env.DB_PASSWORD`), a constant's name, a word without digits (`getAccessToken`; the
// price is that letters-only passwords pass), a file path, a URL (its password has its own rule).
const NAME = new RegExp(
  [
    String.raw`[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+`,
    String.raw`[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+`,
    String.raw`[A-Za-z_$.]+`,
    String.raw`(?:~|\.\.?)?(?:/[\w.-]+)+/?`,
    String.raw`[a-z][a-z0-9+.-]*://\S*`,
  ]
    .map((name) => `^${name}$`)
    .join("|"),
);

export function isPlaceholder(value: string): boolean {
  return PLACEHOLDER.test(value);
}

export function looksRandom(value: string): boolean {
  return (
    value.length >= MIN_LENGTH &&
    characterClasses(value) >= MIN_CLASSES &&
    bitsPerChar(value) >= MIN_BITS_PER_CHAR &&
    !isPlaceholder(value) &&
    !NAME.test(value) &&
    !isWordyIdentifier(value)
  );
}

// An identifier made of words (`sha256Digest`, `generateSecretKey32`): every run of letters is a
// word of three or more or an acronym. Random strings have short runs (`aB3dE5fG7hJ9`).
function isWordyIdentifier(value: string): boolean {
  if (!/^[A-Za-z_$][\w$]*$/.test(value)) return false;
  const runs = value.match(/[A-Z]{2,}(?![a-z])|[A-Z]?[a-z]+|[A-Z]/g) ?? [];
  return runs.every((run) => run.length >= 3 || /^[A-Z]{2,}$/.test(run));
}

/** How many of lower case, upper case, digits and symbols the value uses. */
function characterClasses(value: string): number {
  return [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/].filter((c) => c.test(value)).length;
}

/** Shannon entropy of the value's characters. */
function bitsPerChar(value: string): number {
  const chars = [...value];
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / chars.length) * Math.log2(count / chars.length);
  return bits;
}
