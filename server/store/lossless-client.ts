import { Prisma, type PrismaClient } from "~/server/generated/prisma/client";
import { decodeValue, encodeValue } from "./lossless-text";

/**
 * Every model operation of the client stores text in the lossless encoding and reads it back
 * decoded: the one place where values enter and leave the database, so no write path can drop
 * a NUL or an unpaired surrogate a runner or user sent, and no read path can show an escape.
 *
 * Raw SQL is not covered (its parameters have no column type to go by): a raw statement passes
 * text through `encodeText` and JSON through `encodeValue` itself.
 */
export const losslessText = Prisma.defineExtension({
  name: "lossless-text",
  query: {
    $allModels: {
      async $allOperations({ args, query }) {
        return decodeValue(await query(encodeValue(args)));
      },
    },
  },
});

/**
 * The client with `losslessText`. A query extension leaves the client's shape unchanged, so it
 * is typed as the plain client that every module already takes.
 */
export function withLosslessText(client: PrismaClient): PrismaClient {
  return client.$extends(losslessText) as unknown as PrismaClient;
}
