import { namedError } from "~/server/named-error";
/** A command that cannot run as asked; `code` maps to an HTTP/tRPC status in the router. */
export class CommandError extends namedError("CommandError") {
  constructor(
    readonly code: "NOT_FOUND" | "PRECONDITION_FAILED" | "CONFLICT" | "BAD_REQUEST",
    message: string,
  ) {
    super(message);
  }
}
