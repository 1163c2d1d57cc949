import { expect, it } from "vitest";
import { namedError } from "./named-error";

// Two bundles' copies of one class: what the services throw and what a route checks for.
const inServices = class CommandError extends namedError("CommandError") {};
const inRoute = class CommandError extends namedError("CommandError") {};

it("tells an error apart by its class across two copies of the class, and from others", () => {
  const thrown = new inServices("No such session.");
  expect(thrown instanceof inRoute).toBe(true);
  expect(thrown).toMatchObject({ name: "CommandError", message: "No such session." });
  expect(new (namedError("TraceError"))("x") instanceof inRoute).toBe(false);
  expect(new Error("x") instanceof inRoute).toBe(false);
  expect(("CommandError" as unknown) instanceof inRoute).toBe(false);
});
