import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TRPCReactProvider } from "~/components/trpc/react";
import type { Role } from "~/server/auth/roles";
import { useCan } from "./use-me";

// The layout hands the caller it read to the provider: a control that depends on a role is in the
// first render already, on the server and in the browser alike. A part of a page that streams in
// late (a Suspense boundary) then hydrates into the same markup whether or not a fetch of
// `account.me` ended meanwhile, and React keeps the server's page.

function Probe() {
  return createElement("p", null, useCan("operator") ? "can operate" : "cannot operate");
}

const member = (role: Role) => ({ kind: "user" as const, userId: "u1", name: "Ada", email: "ada@example.com", role });
const firstRender = (me?: ReturnType<typeof member>) => renderToString(createElement(TRPCReactProvider, { me, children: createElement(Probe) }));

describe("useCan in the first render", () => {
  it("knows the caller's role before anything is fetched", () => {
    expect(firstRender(member("operator"))).toContain("can operate");
    expect(firstRender(member("viewer"))).toContain("cannot operate");
  });

  it("shows no control while the caller is unknown", () => {
    expect(firstRender()).toContain("cannot operate");
  });
});
