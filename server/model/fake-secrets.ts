// Credentials in the formats real ones have, for `demo:secrets` and the share-link redaction
// tests. Every value was generated at random for Flightdeck and grants access to nothing; the
// private key body is random bytes behind a real RSA key header, not a usable key.
export const FAKE_SECRETS = {
  awsAccessKeyId: "AKIAAB6F7GOYWOKBAHT0",
  awsSecretAccessKey: "TDg8n9BnWXBXN7NIQY0sYh4ndaErI+IymHlXCE0V",
  githubToken: "ghp_IHgpkfghFSptSoKEEz9IfJpF8TeCEYiFRgOj",
  anthropicApiKey:
    "sk-ant-api03-ypBSCCtTJ0fh9rURrxfWjBaZO9gMjt2u_tzcwQR1R4IPVvQHWyvVpaC55uBLsqB41n97aL4VfMbiKrw6pOJ16hVjOGLSOAA",
  openaiApiKey:
    "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",
  slackBotToken: "xoxb-783214292831-2555002915741-zzubMSjtgrjI3h4qEihbobZp",
  postgresPassword: "S3cr3t-Pa55w0rd",
  privateKey: [
    "-----BEGIN RSA PRIVATE KEY-----",
    "MIIEpAIBAAKCAQEAjU6vuQCrFxYN75bWmr3W7Bq4oAYT7P819b/89IfFLkbuJy7L",
    "AKlLlscAXmZlUWKQOfmzFJdYxYr5Kf7mkb9VrPjQOYJ4PjjXGN32ThcmIuONtI2L",
    "ZSBA6cflD2Zn9rGWQxHKTm4R1W9p8Otd5qgCmDVRO6AaympK/rs3JI0EA6QLXuci",
    "Q5MfmoNz7B2u8BSldESC0Dn7vVAiMwIxjdlFaVRAgkT5aENAyaRhTp2u0ivkorTd",
    "P2ObNDzpM/9nK+J7kVDaixwmmlkH+L1GAYZ5cdMERkpLpvuSjsG1OGe8snJxTJ97",
    "Df9rVUs0ZHIeX+pBtO1/lYiBCYbPqghVDZBsd+GQShXjp2dLr+aAWAA1eMwm5FXN",
    "-----END RSA PRIVATE KEY-----",
  ].join("\n"),
} as const satisfies Record<string, string>;

/** A connection string whose password is `FAKE_SECRETS.postgresPassword`; the rest is not secret. */
export const FAKE_DATABASE_URL = `postgresql://app:${FAKE_SECRETS.postgresPassword}@db.internal:5432/prod`;
