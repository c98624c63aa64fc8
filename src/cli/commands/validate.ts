/**
 * `sentinel-iac validate`: every check, KQL included, in the format the
 * reader needs: text for people, JSON for tools, SARIF for code scanning,
 * GitHub annotations for pull requests. `--watch` keeps the analyzer warm and
 * re-validates when a content file changes.
 */
import { watch } from "chokidar";
import type { Stats } from "node:fs";
import { basename, extname, relative, resolve, sep } from "node:path";
import { ContentFolderError } from "../../loader/contentFolder";
import { validateContent, type ValidateOptions as ValidateUseCaseOptions, type Validation } from "../../app/validate";
import { countDiagnostics } from "../../diagnostics/diagnostic";
import { formatCounts } from "../../diagnostics/format";
import { warmUpAnalyzer } from "../../kql/analysisRunner";
import type { RunnerStats } from "../../kql/analysisRunner";
import { printable } from "../../util/printable";
import type { ProgressReporter } from "../../util/progress";
import { renderGithubAnnotations } from "../render/githubAnnotations";
import { renderDiagnosticsByFile } from "../render/diagnosticsText";
import { renderSarif } from "../render/sarif";
import { displayPath, plural, type Output } from "../output";
import { VERSION } from "../version";

export type ValidateFormat = "text" | "json" | "sarif" | "github";

export interface ValidateOptions extends ValidateUseCaseOptions {
  format: ValidateFormat;
  progress?: ProgressReporter;
}

/** "7 queries: 6 from cache, 1 analyzed on 2 workers" */
function queryCounts(q: RunnerStats): string {
  const parts = [`${q.cached.toLocaleString("en-US")} from cache`, `${q.analyzed.toLocaleString("en-US")} analyzed`];
  return `${plural(q.requested, "query", "queries")}: ${parts.join(", ")}${q.workers > 0 ? ` on ${plural(q.workers, "worker")}` : ""}`;
}

export function renderValidation(validation: Validation, options: ValidateOptions, elapsedMs: number): string {
  const { state, contentDir } = validation;
  const shown = displayPath(contentDir);
  switch (options.format) {
    case "json":
      return `${JSON.stringify(
        {
          formatVersion: 1,
          contentDir,
          ...(options.stack ? { stack: options.stack } : {}),
          strict: options.strict === true,
          summary: { files: state.files.length, ...countDiagnostics(state.diagnostics), queries: state.queryStats },
          skipped: validation.skipped,
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
      const queries = state.queryStats ? `; ${queryCounts(state.queryStats)}` : "";
      lines.push(
        `${lines.length > 0 ? "\n" : ""}Checked ${plural(state.files.length, "file")}${options.stack ? ` for stack ${options.stack}` : ""} in ${(elapsedMs / 1000).toFixed(1)} s${queries}: ${formatCounts(state.diagnostics)}.`,
      );
      for (const note of validation.skipped) lines.push(`Not checked without --stack: ${note}.`);
      if (validation.failed) lines.push(options.strict ? "Failed (--strict: warnings fail too)." : "Failed: fix the errors above.");
      return `${lines.join("\n")}\n`;
    }
  }
}

export async function runValidate(options: ValidateOptions, out: Output): Promise<number> {
  const started = performance.now();
  const validation = await validateContent(options);
  out.write(renderValidation(validation, options, performance.now() - started));
  return validation.failed ? 1 : 0;
}

/** Files whose change can change the result: content YAML, function bodies, watchlist rows, table schemas, test samples. */
const WATCHED_EXTENSIONS = new Set([".yaml", ".yml", ".kql", ".csv", ".json", ".jsonl"]);

/** Folders and files no check reads: hidden ones (.git, editor swap files), node_modules. */
function outsideContent(root: string, path: string): boolean {
  const inside = relative(root, path);
  return inside !== "" && inside.split(sep).some((part) => part.startsWith(".") || part === "node_modules");
}

/** A file a check reads. Editors' temporary files (`x.yaml~`, `sedAb12Cd`, `4913`, `x.yaml___jb_tmp___`) are not. */
function relevantFile(path: string): boolean {
  return WATCHED_EXTENSIONS.has(extname(path).toLowerCase()) && !basename(path).startsWith(".");
}

const SHOWN_NAMES = 3;

/** File names come from the file system: shown through printable(), so a control character in one is never obeyed. */
function changedLabel(files: readonly string[]): string {
  const names = files.slice(0, SHOWN_NAMES).map(printable).join(", ");
  return files.length > SHOWN_NAMES ? `${names} and ${files.length - SHOWN_NAMES} more` : names;
}

/**
 * Validates, then again whenever a content file under the content folder is added, changed or
 * deleted, until `signal` aborts (0) or the folder goes away (1).
 *
 * chokidar, not fs.watch: Node's recursive watcher on Linux follows inodes, so after an
 * editor's atomic save (write a temporary file, rename it over the original: vim, JetBrains'
 * safe write, `sed -i`) it no longer sees the file. chokidar watches the folders and treats a
 * file replaced within its `atomic` window as one change.
 */
export async function watchValidate(options: ValidateOptions, out: Output, signal?: AbortSignal): Promise<number> {
  // A missing folder or (without --allow-empty) an empty one ends the command here, with its one-line error.
  const first = await validateContent(options);
  const contentDir = first.contentDir;
  out.write(renderValidation(first, options, 0));
  // Later runs analyze a few changed queries in this thread: load the analyzer now, not on the first change.
  warmUpAnalyzer({ tables: [], functions: [], watchlists: [] });

  const watcher = watch(contentDir, {
    ignoreInitial: true,
    atomic: true,
    ignored: (path: string, stats?: Stats) => outsideContent(contentDir, path) || (stats?.isFile() === true && !relevantFile(path)),
  });
  const changed = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();

  const rerun = () => {
    const files = [...changed].sort();
    changed.clear();
    running = running.then(async () => {
      out.write(`\n--- ${new Date().toLocaleTimeString()} ${changedLabel(files)} changed ---\n`);
      const started = performance.now();
      try {
        const validation = await validateContent({ ...options, content: contentDir });
        out.write(renderValidation(validation, options, performance.now() - started));
      } catch (error) {
        // All content deleted: say so and keep watching, the next save may bring it back.
        if (!(error instanceof ContentFolderError)) throw error;
        out.write(`error: ${error.message}\n`);
      }
    });
  };
  const onFile = (path: string) => {
    if (!relevantFile(path)) return;
    changed.add(relative(contentDir, path).split(sep).join("/"));
    clearTimeout(timer);
    // Editors write a file in several steps; validate once they are done.
    timer = setTimeout(rerun, 150);
  };

  return new Promise<number>((done) => {
    const stop = (code: number) => {
      clearTimeout(timer);
      void watcher.close().then(() => running.then(() => done(code)));
    };
    watcher.on("add", onFile).on("change", onFile).on("unlink", onFile);
    watcher.on("unlinkDir", (path: string) => {
      if (resolve(path) !== contentDir) return;
      out.write(`error: the content folder ${displayPath(contentDir) || "."} was removed; stopped watching.\n`);
      stop(1);
    });
    watcher.on("error", (error: unknown) => {
      out.write(`error: watching ${displayPath(contentDir) || "."} failed: ${error instanceof Error ? error.message : String(error)}\n`);
      stop(1);
    });
    if (signal?.aborted) return stop(0);
    signal?.addEventListener("abort", () => stop(0), { once: true });
    watcher.on("ready", () => out.write(`Watching ${displayPath(contentDir) || "."} for changes (Ctrl+C to stop).\n`));
  });
}
