import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Markdown } from "./markdown";

const html = (text: string) => renderToStaticMarkup(createElement(Markdown, { text }));

describe("links in agent output", () => {
  it("does not make an e-mail link of a connection string's password and host", () => {
    const out = html("Connect with postgresql://app:S3cr3t-Pa55w0rd@db.internal:5432/prod now.");
    expect(out).not.toContain("mailto:");
    expect(out).toContain("S3cr3t-Pa55w0rd@db.internal");
  });

  it("keeps links written as links, and web addresses", () => {
    expect(html("[write to us](mailto:team@example.com)")).toContain('href="mailto:team@example.com"');
    expect(html("See https://example.com/docs.")).toContain('href="https://example.com/docs"');
  });
});
