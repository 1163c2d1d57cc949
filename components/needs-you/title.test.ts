import { expect, it } from "vitest";
import { attentionTitle, baseTitle, sessionTitle } from "./title";

it("puts the count of waiting requests in front of the page's title, and takes it away again", () => {
  expect(attentionTitle("Flightdeck", 2)).toBe("(2) Waiting · Flightdeck");
  expect(attentionTitle("(2) Waiting · Flightdeck", 3)).toBe("(3) Waiting · Flightdeck");
  expect(attentionTitle("(3) Waiting · Running · Fix it · Flightdeck", 0)).toBe("Running · Fix it · Flightdeck");
  expect(baseTitle("(1) Waiting · Flightdeck")).toBe("Flightdeck");
  expect(sessionTitle("Idle", "Fix it")).toBe("Idle · Fix it · Flightdeck");
});
