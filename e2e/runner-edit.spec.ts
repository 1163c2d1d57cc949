import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { startEmbeddedRunner, type EmbeddedRunner } from "../server/runtime/embedded";
import { mutate, unique } from "./helpers";

// A second opencode server, added as a remote runner.
let remote: EmbeddedRunner;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "flightdeck-e2e-remote-"));
test.beforeAll(async () => {
  remote = await startEmbeddedRunner({ dataDir, deltaDelayMs: 0 });
});
test.afterAll(async () => {
  await remote?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

test("an admin changes a remote runner's name and password on the Runners page (a wrong password changes nothing), then removes it", async ({ page, request }) => {
  const { url } = remote.supervisor.instance!;
  const { username, password } = remote.supervisor.credentials;
  const name = `remote ${unique()}`;
  await mutate(request, "runner.addRemote", { name, url, username, password });

  await page.goto("/runners");
  const card = page.getByTestId("runner").filter({ has: page.getByRole("heading", { name, exact: true }) });
  await expect(card.getByText("healthy", { exact: true })).toBeVisible();
  await card.getByText("Change its name, address or credentials").click();
  const form = card.getByRole("form", { name: `Change the runner ${name}` });
  await expect(form.getByLabel("URL")).toHaveValue(url);
  await form.getByLabel("Name", { exact: true }).fill(`${name} renamed`);
  await form.getByLabel("Password (blank: unchanged)").fill("not its password");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(form.getByRole("alert")).toContainText("refused the username and password (HTTP 401)");
  await expect(form.getByRole("alert")).toContainText("Nothing was changed.");
  await page.reload();
  await expect(page.getByRole("heading", { name, exact: true })).toBeVisible();

  const renamed = page.getByTestId("runner").filter({ has: page.getByRole("heading", { name: `${name} renamed`, exact: true }) });
  await card.getByText("Change its name, address or credentials").click();
  await form.getByLabel("Name", { exact: true }).fill(`${name} renamed`);
  await form.getByLabel("Password (blank: unchanged)").fill(password);
  await form.getByRole("button", { name: "Save" }).click();
  await expect(renamed).toBeVisible();
  await expect(renamed.getByText("healthy", { exact: true })).toBeVisible();
  // Saved, the form folds away.
  await expect(renamed.getByRole("form", { name: /^Change the runner/ })).toHaveCount(0);

  // It holds no session: it can go, once the admin says so twice.
  await renamed.getByRole("button", { name: "Remove this runner" }).click();
  await expect(renamed).toContainText(`Remove ${name} renamed? Its address and credentials go; it holds no session.`);
  await renamed.getByRole("button", { name: "Remove", exact: true }).click();
  await expect(renamed).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole("heading", { name: `${name} renamed`, exact: true })).toHaveCount(0);
  // The embedded runner offers neither.
  const embedded = page.getByTestId("runner").filter({ has: page.getByRole("heading", { name: "embedded", exact: true }) });
  await expect(embedded.getByText("Change its name, address or credentials")).toHaveCount(0);
  await expect(embedded.getByRole("button", { name: "Remove this runner" })).toHaveCount(0);
});
