import { describe, expect, it } from "vitest";
import { describeError } from "./error-text";
import { toError } from "./to-entities";

describe("describeError", () => {
  it("reads the message inside a provider's JSON body instead of showing the JSON", () => {
    const raw = { name: "UnknownError", data: { message: '{"message":"The Demo model failed on purpose (demo:error).","type":"invalid_request_error"}' } };
    expect(describeError(toError(raw))).toBe("The model call failed: The Demo model failed on purpose (demo:error).");
    const nested = { name: "UnknownError", data: { message: '{"error":{"message":"Rate limit reached","type":"rate_limit"}}' } };
    expect(describeError(toError(nested))).toBe("The model call failed: Rate limit reached");
  });

  it("names what failed for opencode's known errors", () => {
    expect(describeError(toError({ name: "APIError", data: { message: "Overloaded", statusCode: 529, isRetryable: true } }))).toBe(
      "The model's API returned an error (HTTP 529): Overloaded",
    );
    expect(describeError(toError({ name: "ProviderAuthError", data: { providerID: "anthropic", message: "invalid x-api-key" } }))).toBe(
      "The provider anthropic did not accept its credentials: invalid x-api-key",
    );
    expect(describeError(toError({ name: "MessageOutputLengthError", data: {} }))).toBe("The answer was cut off: it reached the model's output limit.");
    expect(describeError(toError({ name: "MessageAbortedError", data: { message: "Aborted" } }))).toBe("Aborted.");
  });

  it("keeps one bounded line of anything else, and says something when there is nothing", () => {
    expect(describeError({ name: "RunnerRestarted", message: "The runner restarted.\n    at bundle.js:1:2" })).toBe("The runner restarted.");
    expect(describeError({ name: "Weird" })).toBe("Weird");
    expect(describeError(undefined)).toBe("The run failed.");
    expect(describeError({ name: "X", message: "y".repeat(1000) })).toHaveLength(300);
    expect(describeError(toError({ name: "UnknownError", data: { message: "{not json" } }))).toBe("The model call failed: {not json");
    // The live error and the stored answer's say one failure the same way.
    const live = { name: "UnknownError", data: { message: "ProviderModelNotFoundError: Model not found: demo/nope." } };
    expect(describeError(toError(live))).toBe("The model call failed: Model not found: demo/nope.");
  });
});
