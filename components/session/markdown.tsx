import ReactMarkdown, { type Components } from "react-markdown";
import rehypeHighlight from "rehype-highlight";
import rehypeSanitize from "rehype-sanitize";
import remarkGfm from "remark-gfm";
import { CopyButton } from "./copy-button";

// Agent output is untrusted. Raw HTML in it is never interpreted: it is shown as the text the
// agent wrote (no rehype-raw). URLs pass react-markdown's safe-protocol filter (javascript: and
// the like become empty), and rehype-sanitize runs before highlighting as a second line, so only
// highlight's own class names are added after it.

type MdNode = { type: string; value?: string; children?: MdNode[] };

/** The text of a (hast) node: what a code block's copy button copies. */
function textOf(node: MdNode | undefined): string {
  if (!node) return "";
  return node.type === "text" ? (node.value ?? "") : (node.children ?? []).map(textOf).join("");
}

/** Turns raw HTML nodes into literal text, so a reader sees what the agent actually wrote. */
function remarkHtmlAsText() {
  const walk = (node: MdNode) => {
    if (node.type === "html") node.type = "text";
    node.children?.forEach(walk);
  };
  return (tree: MdNode) => walk(tree);
}

const remarkPlugins = [remarkGfm, remarkHtmlAsText];
const rehypePlugins = [rehypeSanitize, [rehypeHighlight, { detect: false, ignoreMissing: true }]] as const;

const components: Components = {
  pre: ({ node, children }) => (
    <div className="group/code relative">
      <pre>{children}</pre>
      <CopyButton text={textOf(node as MdNode | undefined)} what="code" className="absolute right-1.5 top-1.5 bg-white/90" />
    </div>
  ),
  // GFM links any `x@y.z` it finds as an e-mail address: in agent output that is mostly a
  // credential in a connection string (`user:password@host`), so only links written as links stay.
  a: ({ node, href, children }) =>
    href?.startsWith("mailto:") && textOf(node as MdNode | undefined) === href.slice("mailto:".length) ? (
      <>{children}</>
    ) : href ? (
      <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-sky-700 underline">
        {children}
      </a>
    ) : (
      <span className="text-sky-700 underline decoration-dotted" title="Link removed: unsafe address">
        {children}
      </span>
    ),
  // Images would load from anywhere the agent names: show the address instead.
  img: ({ src, alt }) => (
    <span className="rounded bg-slate-100 px-1 font-mono text-xs text-slate-600">
      [image{alt ? `: ${alt}` : ""}
      {typeof src === "string" && src ? ` ${src}` : ""}]
    </span>
  ),
};

export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown text-sm leading-relaxed text-slate-800">
      <ReactMarkdown
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins as never}
        components={components}
      >
        {text}
      </ReactMarkdown>
    </div>
  );
}
