/**
 * Escaping text for GitHub-flavoured Markdown. Every renderer that puts text from content or
 * from a live workspace into Markdown (pull-request summaries, drift reports, coverage) goes
 * through these functions, so a display name such as `</details><img src=...>` or
 * `@security-team` is shown as the characters it is, and never becomes HTML, a link, an
 * image, a mention or a broken table.
 *
 * Each function fits one context, because Markdown and raw HTML escape differently:
 * - `markdownText`: inline Markdown (paragraphs, list items, table cells, headings).
 * - `htmlText`: inside a raw HTML block such as `<summary>...</summary>`, where Markdown is not
 *   processed, so only HTML entities work.
 * - `codeSpan` / `tableCode`: a value shown as code, in running text or in a table cell.
 * - `codeFence`: a fenced block whose fence no line of the text can close.
 */

/**
 * After `@` a zero-width space (as an entity, so the source stays readable): GitHub links
 * `@name` to a user or team and notifies them, and turns `a@b.c` into a mailto link.
 */
const NO_MENTION = "@&#8203;";

/** Breaks bare URLs (`https://...`, `www.`) that the GFM autolink extension would turn into links. */
function breakAutolinks(text: string): string {
  return text.replace(/:\/\//g, ":&#8203;//").replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}&#8203;.`);
}

/** Line breaks end a table row or a list item and blank lines end an HTML block: one line only. */
function oneLine(text: string): string {
  return text.replace(/\r\n?|\n/g, " ");
}

/**
 * Characters that can start inline Markdown in the middle of a line: escapes, code, emphasis,
 * links and images (`[`; `!` and `(` mean nothing without it), table cell breaks and
 * strikethrough. Block syntax (`#`, `-`, `1.`) counts only at the start of a line, so only
 * the text's first character needs it (a blockquote re-reads its content as lines).
 */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~]/g;

/** Text for inline Markdown: HTML is shown as text, and no emphasis, link, image, mention or table cell break happens. */
export function markdownText(text: string): string {
  const escaped = oneLine(text)
    // Only an `&` that starts an entity reference changes what is shown.
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(/^(\s*)([#+\-=])/, "$1\\$2")
    .replace(/^(\s*\d+)([.)])/, "$1\\$2")
    .replace(/@/g, NO_MENTION);
  return breakAutolinks(escaped);
}

/** Text inside a raw HTML block (e.g. `<summary>`): entities only, since Markdown is not processed there. */
export function htmlText(text: string): string {
  return oneLine(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;")
    .replace(/@/g, NO_MENTION);
}

/** The longest run of `char` in `text`. */
function longestRun(text: string, char: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === char ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

/**
 * Inline code: delimited by more backticks than any run inside it, padded with a space when
 * the text starts or ends with a backtick (CommonMark strips one space on each side).
 * Code spans show HTML, links and mentions as plain text.
 */
export function codeSpan(text: string): string {
  const line = oneLine(text);
  if (line === "") return "` `";
  const ticks = "`".repeat(longestRun(line, "`") + 1);
  const pad = line.startsWith("`") || line.endsWith("`") || (line.startsWith(" ") && line.endsWith(" ")) ? " " : "";
  return `${ticks}${pad}${line}${pad}${ticks}`;
}

/** Inline code inside a table cell: GFM splits cells at `|` before it reads code spans, so pipes are escaped. */
export function tableCode(text: string): string {
  return codeSpan(text).replace(/\|/g, "\\|");
}

/** A fenced code block whose backtick fence is longer than any run of backticks in the text, so no line can close it. */
export function codeFence(text: string, info = ""): string {
  const fence = "`".repeat(Math.max(3, longestRun(text, "`") + 1));
  return `${fence}${info}\n${text}${text.endsWith("\n") ? "" : "\n"}${fence}`;
}
