/**
 * `sentinel-iac validate`: every check, KQL included, in the format the
 * reader needs: text for people, JSON for tools, SARIF for code scanning,
 * GitHub annotations for pull requests. `--watch` keeps the analyzer warm and
 * re-validates when a content file changes.
 */
import { watch } from "node:fs";
import { resolve } from "node:path";
import { countDiagnostics } from "../../diagnostics/diagnostic";
import { warmUpAnalyzer } from "../../kql/analysisRunner";
import { buildValidatedState, failsValidation, type ValidatedState } from "../../loader/validatedState";
import { renderGithubAnnotations } from "../render/githubAnnotations";
import { renderDiagnosticsByFile } from "../render/diagnosticsText";
import { renderSarif } from "../render/sarif";
import { formatCounts } from "../../diagnostics/format";
import { displayPath, type Output } from "../output";

export type ValidateFormat = "text" | "json" | "sarif" | "github";

export interface ValidateOptions {
  content?: string;
  strict?: boolean;
  format: ValidateFormat;
  cache?: boolean;
  workers?: number;
}

const VERSION = (require("../../../package.json") as { version: string }).version;

export function renderValidation(state: ValidatedState, contentDir: string, options: ValidateOptions, elapsedMs: number): string {
  const shown = displayPath(contentDir);
  switch (options.format) {
    case "json":
      return `${JSON.stringify(
        {
          formatVersion: 1,
          contentDir,
          strict: options.strict === true,
          summary: { files: state.files.length, ...countDiagnostics(state.diagnostics), queries: state.queryStats },
          diagnostics: state.diagnostics,
        },
        null,
        2,
      )}\n`;
    case "sarif":
      return renderSarif(state.diagnostics, shown, VERSION);
    case "github":
      return renderGithubAnnotations(state.diagnostics, shown);
    case "text": {
      const lines = renderDiagnosticsByFile(state.diagnostics, shown);
      const q = state.queryStats;
      const queries = q
        ? `; ${q.requested} queries: ${q.analyzed} analyzed${q.workers > 0 ? ` on ${q.workers} workers` : ""}, ${q.cached} from cache`
        : "";
      lines.push(
        `${lines.length > 0 ? "\n" : ""}Checked ${state.files.length} files in ${(elapsedMs / 1000).toFixed(1)} s${queries}: ${formatCounts(state.diagnostics)}.`,
      );
      if (failsValidation(state, options.strict === true))
        lines.push(options.strict ? "Failed (--strict: warnings fail too)." : "Failed: fix the errors above.");
      return `${lines.join("\n")}\n`;
    }
  }
}

export async function runValidate(options: ValidateOptions, out: Output): Promise<number> {
  const contentDir = resolve(options.content ?? ".");
  const started = performance.now();
  // --no-cache turns the cache off; otherwise SENTINEL_IAC_CACHE decides.
  const state = await buildValidatedState(contentDir, {
    strict: options.strict,
    useCache: options.cache === false ? false : undefined,
    workers: options.workers,
  });
  out.write(renderValidation(state, contentDir, options, performance.now() - started));
  return failsValidation(state, options.strict === true) ? 1 : 0;
}

/** Validates, then again whenever a file under the content directory changes, until interrupted. */
export async function watchValidate(options: ValidateOptions, out: Output, signal?: AbortSignal): Promise<number> {
  const contentDir = resolve(options.content ?? ".");
  await runValidate(options, out);
  // Later runs analyze a few changed queries in this thread: load the analyzer now, not on the first change.
  warmUpAnalyzer({ tables: [], functions: [], watchlists: [] });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  return new Promise((done) => {
    const watcher = watch(contentDir, { recursive: true, signal }, (_event, file) => {
      if (file && (/(^|[\\/])(node_modules|\.git)([\\/]|$)/.test(file) || file.startsWith("."))) return;
      clearTimeout(timer);
      // Editors write a file in several steps; validate once they are done.
      timer = setTimeout(() => {
        running = running.then(() => {
          out.write(`\n--- ${new Date().toLocaleTimeString()} ${file ?? "content"} changed ---\n`);
          return runValidate(options, out);
        });
      }, 100);
    });
    watcher.on("close", () => done(0));
    out.write(`Watching ${displayPath(contentDir) || "."} for changes (Ctrl+C to stop).\n`);
  });
}
