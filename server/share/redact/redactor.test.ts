import { describe, expect, it } from "vitest";
import { FAKE_DATABASE_URL, FAKE_SECRETS as FAKE } from "~/server/model/fake-secrets";
import { checkPattern, createRedactor } from ".";

const RUNNER_PASSWORD = "fd-runner-7Hq2xLm9";
const redactor = createRedactor({
  exactValues: [RUNNER_PASSWORD, "short"],
  extraPatterns: ["ACME-[0-9]{6}", "(unclosed"],
  home: "/home/alice",
});

const redact = (text: string) => redactor.redact(text);
// Secretlint knows this format and our own rules do not (random, fake).
const STRIPE_KEY = "sk_live_51H8aJ2KZ3nX9vQpT7rLmW4yB6cD8eF0gH2iJ4kL6mN8oP0qR2sT4uV6wX8yZ0aB2cD4eF6gH8iJ0kL2";
const GOOGLE_KEY = "AIza7OlRTzeOYBmf4AXbQMe2sNAoXrpc0Mq_gRC";
const JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U";

// Text an agent run could hold, the secrets in it, and the marker each must leave.
const CASES: { name: string; text: string; secrets: string[]; markers: string[] }[] = [
  {
    name: "AWS key pair in an env file",
    text: `export AWS_ACCESS_KEY_ID=${FAKE.awsAccessKeyId}\nexport AWS_SECRET_ACCESS_KEY=${FAKE.awsSecretAccessKey}\n`,
    secrets: [FAKE.awsAccessKeyId, FAKE.awsSecretAccessKey],
    markers: ["aws-access-key-id", "aws-secret-access-key"],
  },
  {
    name: "AWS key pair in prose",
    text: `Found key ${FAKE.awsAccessKeyId} with aws secret access key: ${FAKE.awsSecretAccessKey}.`,
    secrets: [FAKE.awsAccessKeyId, FAKE.awsSecretAccessKey],
    markers: ["aws-access-key-id", "aws-secret-access-key"],
  },
  { name: "GitHub token in prose", text: `I used ${FAKE.githubToken} to call the API.`, secrets: [FAKE.githubToken], markers: ["github-token"] },
  {
    name: "Anthropic key in a shell command",
    text: `ANTHROPIC_API_KEY="${FAKE.anthropicApiKey}" opencode run`,
    secrets: [FAKE.anthropicApiKey],
    markers: ["anthropic-api-key"],
  },
  {
    name: "OpenAI key in Python",
    text: `client = OpenAI(api_key="${FAKE.openaiApiKey}")`,
    secrets: [FAKE.openaiApiKey],
    markers: ["openai-token"],
  },
  {
    name: "Slack token in a header",
    text: `curl -H "Authorization: Bearer ${FAKE.slackBotToken}" https://slack.com/api/chat.postMessage`,
    secrets: [FAKE.slackBotToken],
    markers: ["slack-token"],
  },
  {
    name: "Google API key in a URL",
    text: `GET https://maps.googleapis.com/maps/api/geocode/json?address=x&key=${GOOGLE_KEY}`,
    secrets: [GOOGLE_KEY],
    markers: ["google-api-key"],
  },
  {
    name: "PEM private key in a code fence",
    text: "The deploy key:\n```\n" + FAKE.privateKey + "\n```\nKeep it safe.",
    secrets: FAKE.privateKey.split("\n").slice(1, -1),
    markers: ["private-key"],
  },
  {
    name: "unterminated PEM block",
    text: FAKE.privateKey.split("\n").slice(0, 4).join("\n"),
    secrets: FAKE.privateKey.split("\n").slice(1, 4),
    markers: ["private-key"],
  },
  { name: "PostgreSQL URL", text: `DATABASE_URL=${FAKE_DATABASE_URL}`, secrets: [FAKE.postgresPassword], markers: ["password"] },
  {
    name: "Basic authorization header",
    text: "Authorization: Basic YWxhZGRpbjpvcGVuc2VzYW1l",
    secrets: ["YWxhZGRpbjpvcGVuc2VzYW1l"],
    markers: ["authorization"],
  },
  { name: "JWT", text: `cookie session=${JWT}; Path=/`, secrets: [JWT], markers: ["jwt"] },
  { name: "known value", text: `runner password: ${RUNNER_PASSWORD}`, secrets: [RUNNER_PASSWORD], markers: ["known-value"] },
  { name: "admin pattern", text: "see ticket ACME-123456 for access", secrets: ["ACME-123456"], markers: ["admin-pattern"] },
  {
    name: "random value assigned to a secret's name",
    text: String.raw`DB_PASSWORD=Zq8#vLp2!mRt4w {"client_secret": "f7Gk2pQ9xLm4Vb8Rt1Wz"} {\"apiKey\": \"Hk3mP9qR2vX7\"} token := "m4Q8zT2wL9pR"`,
    secrets: ["Zq8#vLp2!mRt4w", "f7Gk2pQ9xLm4Vb8Rt1Wz", "Hk3mP9qR2vX7", "m4Q8zT2wL9pR"],
    markers: ["secret"],
  },
  { name: "format only secretlint knows", text: `STRIPE=${STRIPE_KEY}`, secrets: [STRIPE_KEY], markers: ["stripe-secret-key-live"] },
  {
    name: "a secretlint-disable comment in agent text",
    text: `// secretlint-disable\nconst stripe = "${STRIPE_KEY}";`,
    secrets: [STRIPE_KEY],
    markers: ["stripe-secret-key-live"],
  },
  {
    name: "token after a JSON escape",
    text: String.raw`{"log":"line one\n${FAKE.githubToken}\n"}`,
    secrets: [FAKE.githubToken],
    markers: ["github-token"],
  },
];

describe("redact", () => {
  it.each(CASES)("removes the secret: $name", async ({ text, secrets, markers }) => {
    const out = await redact(text);
    for (const secret of secrets) expect(out).not.toContain(secret);
    for (const kind of markers) expect(out).toContain(`[redacted:${kind}]`);
  });

  it("keeps the scheme, user and host of a URL and the names of assigned secrets", async () => {
    expect(await redact(FAKE_DATABASE_URL)).toBe("postgresql://app:[redacted:password]@db.internal:5432/prod");
    expect(await redact("redis://:p@ss@w0rd!x@cache:6379/0")).toBe("redis://:[redacted:password]@cache:6379/0");
    expect(await redact("DB_PASSWORD=Zq8#vLp2!mRt4w")).toBe("DB_PASSWORD=[redacted:secret]");
    expect(await redact(`AWS_SECRET_ACCESS_KEY=${FAKE.awsSecretAccessKey}`)).toBe(
      "AWS_SECRET_ACCESS_KEY=[redacted:aws-secret-access-key]",
    );
  });

  it("leaves ordinary code and text unchanged", async () => {
    const ordinary = [
      [
        "export async function load(id: string): Promise<Session | null> {",
        "  const token = await getAccessToken();",
        "  const password = process.env.DB_PASSWORD ?? '';",
        "  const secretKey = generateSecretKey32(salt), token: sha256Digest;",
        "  if (token == expectedToken) return null;",
        "  return db.session.findUnique({ where: { id }, include: { turns: true } });",
        "}",
      ].join("\n"),
      '{"tokens": {"input": 1234, "output": 56, "reasoning": 0}, "max_tokens": 4096, "sessions": 12}',
      "tokens: 1234, sessions: 56",
      'DB_PASSWORD="${DB_PASSWORD:-}" API_TOKEN=${API_TOKEN:-default-value-123} psql "$DATABASE_URL"',
      "token: ${{ secrets.GITHUB_TOKEN }}; password: <your-password>; api_key=xxxxxxxxxxxxxxxx; secret=changeme",
      "private_key: ~/.ssh/id_ed25519 and token_url: https://oauth2.googleapis.com/token",
      "commit 3f786850e387550fdab836ed7e6dc881de23001b, session 550e8400-e29b-41d4-a716-446655440000",
      "/srv/projects/flightdeck/server/share/redact/redactor.ts:42:7",
      "https://example.com:8080/path?page=2 and ssh://git@github.com/org/repo.git",
      "The short value was not redacted, nor was the task-runner-configuration-file-name.",
      "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----",
    ];
    for (const text of ordinary) expect(await redact(text)).toBe(text);
  });

  it("shows the home directory as ~ at path boundaries only", async () => {
    expect(await redact("cd /home/alice/project && ls /home/alice")).toBe("cd ~/project && ls ~");
    expect(await redact('{"cwd":"/home/alice"} PATH=/usr/bin:/home/alice/bin')).toBe('{"cwd":"~"} PATH=/usr/bin:~/bin');
    expect(await redact("/home/alice2/x /srv/home/alice/y")).toBe("/home/alice2/x /srv/home/alice/y");
  });

  it("redacts every piece of a secret secretlint finds across two collected strings", async () => {
    const lines = FAKE.privateKey.split("\n");
    const texts = [`key:\n${lines.slice(0, 4).join("\n")}`, `${lines.slice(4).join("\n")}\ndone`];
    const apply = await redactor.collect(texts);
    const out = texts.map(apply).join("\n");
    for (const line of lines.slice(1, -1)) expect(out).not.toContain(line);
    expect(out).toContain("done");
  });

  it("finds secretlint's secrets after a byte order mark", async () => {
    expect(await redact(`\uFEFFSTRIPE=${STRIPE_KEY}`)).toBe("\uFEFFSTRIPE=[redacted:stripe-secret-key-live]");
  });

  it("replaces a value found in one string wherever it appears in another", async () => {
    // Alone, 40 base64 characters are not known to be a key; the env line makes them one.
    const texts = [`AWS_SECRET_ACCESS_KEY=${FAKE.awsSecretAccessKey}`, `echo ${FAKE.awsSecretAccessKey} | base64 -d`];
    const apply = await redactor.collect(texts);
    expect(apply(texts[1]!)).toBe("echo [redacted:aws-secret-access-key] | base64 -d");
  });
});

describe("checkPattern", () => {
  it("accepts a regular expression and explains what it cannot use", () => {
    expect(checkPattern("ACME-[0-9]{6}")).toBeNull();
    expect(checkPattern("(unclosed")).toMatch(/Invalid regular expression/);
    expect(checkPattern("a*")).toBe("the pattern matches empty text");
  });
});

describe("findHighConfidence", () => {
  const corpus = CASES.map((c) => c.text);

  it("names the kinds of secrets left in bytes, never their values", async () => {
    const kinds = await redactor.findHighConfidence(JSON.stringify({ parts: corpus }));
    expect(kinds).toEqual(
      expect.arrayContaining([
        "anthropic-api-key",
        "aws-access-key-id",
        "aws-secret-access-key",
        "github-token",
        "known-value",
        "openai-token",
        "password",
        "private-key",
        "slack-token",
        "stripe-secret-key-live",
      ]),
    );
    for (const kind of kinds) expect(kind).toMatch(/^[a-z0-9-]+$/);
  });

  it("finds nothing in what the redactor produced", async () => {
    const apply = await redactor.collect(corpus);
    expect(await redactor.findHighConfidence(JSON.stringify({ parts: corpus.map(apply) }))).toEqual([]);
  });

  it("does not count the fuzzy keyword rule", async () => {
    expect(await redactor.findHighConfidence("DB_PASSWORD=Zq8#vLp2!mRt4w")).toEqual([]);
  });
});

describe("collect", () => {
  it("redacts 10,000 strings of ~200 characters", async () => {
    const base = [
      "const total = items.reduce((sum, item) => sum + item.price, 0); // tokens: 1234",
      `then ran git push with ${FAKE.githubToken} as the token`,
      "cd /home/alice/project && npm test -- --run server/share",
    ];
    const texts = Array.from({ length: 10_000 }, (_, i) => `${i}: ${base[i % 3]} ${"lorem ipsum dolor ".repeat(6)}`);
    const apply = await redactor.collect(texts);
    const out = texts.map(apply);
    expect(out.some((t) => t.includes(FAKE.githubToken))).toBe(false);
    expect(out[2]).toContain("~/project");
  });
});
