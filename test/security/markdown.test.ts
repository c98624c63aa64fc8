/**
 * Issue 11, item 3: text from content or from the live workspace never becomes HTML, a link,
 * an image, a mention or a broken table in the Markdown the tools print for pull requests.
 * Each report is rendered with a GFM renderer (markdown-it with raw HTML and autolinks on,
 * as GitHub renders comments) and the resulting HTML is inspected.
 */
import { Parser } from "htmlparser2";
import MarkdownIt from "markdown-it";
import { describe, expect, it } from "vitest";
import { coverageOf } from "../../src/coverage/coverage";
import { coverageMarkdown } from "../../src/coverage/render";
import { compareWorkspace } from "../../src/diff/compare";
import { renderDriftMarkdown } from "../../src/diff/render";
import { buildDesiredState } from "../../src/loader/desiredState";
import { renderSummaryMarkdown } from "../../src/summary/render";
import { summarizeChanges } from "../../src/summary/summarize";
import { codeFence, codeSpan, htmlText, markdownText, tableCode } from "../../src/util/markdown";
import { liveFromState, TEST_WORKSPACE } from "../helpers/live";
import { ruleYaml, writeContent } from "../helpers/content";

/** What an attacker writes where a name is expected. */
const HOSTILE =
  '</summary></details><h1>APPROVED</h1><img src="https://evil.example/pixel.png"> @security-team ' +
  "[click](https://evil.example/login) ![x](https://evil.example/i.png) https://evil.example/raw | a | b `tick` *bold* ~~gone~~ &lt;img src=x&gt; www.evil.example";
const QUERY_WITH_FENCES = "SigninLogs\n```\n~~~\n</details><h1>fence escaped</h1>\n| take 1";

interface Rendered {
  /** Element names in document order. */
  tags: string[];
  /** Text outside code, pre and a (GitHub links mentions only there). */
  prose: string[];
  /** Text inside code elements. */
  code: string[];
  /** Cells per row of every table, in order. */
  tables: number[][];
  hrefs: string[];
}

function render(markdown: string): Rendered {
  const html = new MarkdownIt({ html: true, linkify: true }).render(markdown);
  const out: Rendered = { tags: [], prose: [], code: [], tables: [], hrefs: [] };
  const open: string[] = [];
  let row: number | undefined;
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        out.tags.push(name);
        open.push(name);
        if (attributes.href !== undefined) out.hrefs.push(attributes.href);
        if (name === "code") out.code.push("");
        if (name === "table") out.tables.push([]);
        if (name === "tr") row = 0;
        if ((name === "td" || name === "th") && row !== undefined) row++;
      },
      onclosetag(name) {
        open.pop();
        if (name === "tr" && row !== undefined) out.tables.at(-1)?.push(row);
      },
      ontext(text) {
        if (open.includes("code")) out.code[out.code.length - 1] += text;
        else out.prose.push(text);
      },
    },
    { decodeEntities: true },
  );
  parser.write(html);
  parser.end();
  return out;
}

/** Tags our renderers write; anything else came from content. */
const OUR_TAGS = new Set([
  "h2",
  "h3",
  "p",
  "ul",
  "li",
  "table",
  "thead",
  "tbody",
  "tr",
  "th",
  "td",
  "code",
  "pre",
  "details",
  "summary",
  "b",
  "strong",
  "em",
  "br",
  "blockquote",
]);

function expectSafe(r: Rendered): void {
  expect(r.tags.filter((t) => !OUR_TAGS.has(t))).toEqual([]);
  expect(r.hrefs).toEqual([]);
  // GitHub notifies `@name` in text outside code; a zero-width space after `@` prevents it.
  for (const text of r.prose) expect(text).not.toMatch(/@[A-Za-z0-9]/);
  // Every row of a table has as many cells as its header.
  for (const table of r.tables) expect(new Set(table).size).toBe(1);
}

describe("Markdown escaping", () => {
  it("keeps HTML, links, images, mentions, pipes and backticks from content as text in `summarize`", () => {
    const QUERY_RULE = "4a1b2c3d-0000-4000-8000-000000000002";
    const base = buildDesiredState(writeContent({ "rules/analytics/q.yaml": ruleYaml({ name: "Fenced" }, QUERY_RULE) }));
    const head = buildDesiredState(
      writeContent({
        "rules/analytics/r.yaml": ruleYaml({ name: JSON.stringify(HOSTILE) }),
        "rules/analytics/q.yaml": ruleYaml({ name: "Fenced", query: `|\n  ${QUERY_WITH_FENCES.split("\n").join("\n  ")}` }, QUERY_RULE),
        "watchlists/W.yaml": "alias: Trusted_Allow\ndisplayName: Allow\nprovider: Team\nitemsSearchKey: Key\n",
        "watchlists/W.csv": `Key\n"${HOSTILE.replace(/"/g, '""')}"\n`,
      }),
    );
    // The content is valid: the hostile name is an ordinary string to the loader.
    expect(head.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const summary = summarizeChanges(base, head, { ref: "main", commit: "0123456789abcdef" });
    // And the other way round: the hostile rule removed.
    const edited = summarizeChanges(head, buildDesiredState(writeContent({})), { ref: "main", commit: "0123456789abcdef" });
    for (const markdown of [renderSummaryMarkdown(summary), renderSummaryMarkdown(edited)]) {
      const r = render(markdown);
      expectSafe(r);
      expect(r.prose.join("")).toContain("</summary></details><h1>APPROVED</h1>");
      expect(r.tags.filter((t) => t === "details").length).toBe(r.tags.filter((t) => t === "summary").length);
    }
    const diff = render(renderSummaryMarkdown(summary)).code.find((c) => c.includes("fence escaped"));
    expect(diff).toContain("```");
    expect(diff).toContain("| take 1");
  });

  it("keeps a query's ``` and ~~~ inside its diff fence, and live names as text, in `diff --format markdown`", () => {
    const desired = buildDesiredState(
      writeContent({ "rules/analytics/q.yaml": ruleYaml({ name: "Fenced", query: `|\n  ${QUERY_WITH_FENCES.split("\n").join("\n  ")}` }) }),
    );
    const rule = desired.resources[0]!;
    // The live workspace (a hostile server, or a portal user) holds an edited query and a rule with a hostile name.
    const live = liveFromState({
      ...TEST_WORKSPACE,
      watchlists: [],
      savedSearches: [],
      tables: [],
      alertRules: [
        { name: rule.name, kind: "Scheduled", properties: { ...rule.properties, query: "SigninLogs\n```\n| take 2" } },
        {
          name: "00000000-0000-4000-8000-00000000dead",
          kind: "Scheduled",
          properties: { ...rule.properties, displayName: HOSTILE, description: HOSTILE },
        },
      ],
    });
    const markdown = renderDriftMarkdown(compareWorkspace(desired.resources, live), { ...TEST_WORKSPACE, workspaceName: `ws${HOSTILE}` });
    const r = render(markdown);
    expectSafe(r);
    // Two changed resources: two collapsible sections, each with its summary.
    expect(r.tags.filter((t) => t === "details")).toHaveLength(2);
    // The whole query diff is one code block: the ``` line inside did not close it.
    const block = r.code.find((c) => c.includes("fence escaped"));
    expect(block).toContain("```");
    expect(block).toContain("~~~");
    expect(block).toContain("| take 1");
    expect(r.prose.join("")).toContain("<h1>APPROVED</h1>");
  });

  it("escapes rule names in coverage", () => {
    const state = buildDesiredState(writeContent({ "rules/analytics/r.yaml": ruleYaml({ name: JSON.stringify(HOSTILE) }) }));
    const r = render(coverageMarkdown(coverageOf(state.resources), `stack ${HOSTILE}`));
    expectSafe(r);
  });

  it("each helper fits its context", () => {
    expect(codeSpan("a`b``c")).toBe("```a`b``c```");
    expect(codeSpan("`x")).toBe("`` `x ``");
    expect(tableCode("a|b")).toBe("`a\\|b`");
    expect(codeFence("x\n````\ny", "diff")).toBe("`````diff\nx\n````\ny\n`````");
    expect(htmlText("<b>@me</b>")).toBe("&lt;b&gt;@&#8203;me&lt;/b&gt;");
    expect(markdownText("# not a heading")).toBe("\\# not a heading");
    expect(markdownText("1. not a list")).toBe("1\\. not a list");
    for (const text of [markdownText(HOSTILE), `| ${markdownText(HOSTILE)} | ${tableCode(HOSTILE)} |`]) expectSafe(render(text));
  });
});
